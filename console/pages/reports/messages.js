// The organization report (teachers and administrators), in Chinese and English.

export default {
  'zh-CN': {
    nav: { report: '机构报告' },
    navText: { report: '本校（本机构）的学习时长、完成情况和答题正确率' },
    report: {
      heading: '机构报告', organization: '机构', from: '开始日期', to: '结束日期', show: '查看', period: '统计期间：{from} 至 {to}（按 UTC 日统计）',
      activeLearners: '活跃学员', learningTime: '学习时长', lessonsCompleted: '完成课程', attempts: '提交测验', averageScore: '测验平均分',
      hours: '{value} 小时', minutes: '分钟', lessons: '课程数', accuracy: '正确率', firstSeen: '首次作答正确率',
      learningChart: '每日学习时长（分钟）', learningWeekChart: '每周学习时长（分钟）', learningDesc: '机构成员每天在课程上花费的分钟数。',
      completionChart: '每日完成课程数', completionWeekChart: '每周完成课程数', completionDesc: '机构成员每天完成的课程数量。',
      accuracyChart: '答题正确率变化', accuracyDesc: '每天全部作答的正确率，以及首次见到的题目的正确率（不含重做和练习）。',
      noAccuracy: '此期间没有作答记录。', noOrganization: '您的账号没有所属机构，无法查看报告。', badRange: '开始日期须早于结束日期，且期间不超过 366 天。',
      weekOf: '{date} 起一周',
      learnersHeading: '学员', learnersCaption: '本期间每位学员的学习情况', learnersNote: '只列出学员的显示名称和学习数据。',
      learnerName: '学员', learnerMinutes: '学习时长（分钟）', noLearners: '本机构还没有学员。',
    },
  },
  en: {
    nav: { report: 'Organization report' },
    navText: { report: 'Your school’s learning time, completions and accuracy' },
    report: {
      heading: 'Organization report', organization: 'Organization', from: 'From', to: 'To', show: 'Show', period: 'Period: {from} to {to} (UTC days)',
      activeLearners: 'Active learners', learningTime: 'Learning time', lessonsCompleted: 'Lessons completed', attempts: 'Quizzes submitted', averageScore: 'Average quiz score',
      hours: '{value} h', minutes: 'Minutes', lessons: 'Lessons', accuracy: 'Accuracy', firstSeen: 'First-seen accuracy',
      learningChart: 'Learning time per day (minutes)', learningWeekChart: 'Learning time per week (minutes)', learningDesc: 'Minutes the members spent on lessons each day.',
      completionChart: 'Lessons completed per day', completionWeekChart: 'Lessons completed per week', completionDesc: 'Lessons the members completed each day.',
      accuracyChart: 'Accuracy over time', accuracyDesc: 'Share of correct answers per day, and of questions met for the first time (no retries or practice).',
      noAccuracy: 'No answers in this period.', noOrganization: 'Your account belongs to no organization, so there is no report to show.', badRange: 'The start must be before the end, and the period at most 366 days.',
      weekOf: 'Week of {date}',
      learnersHeading: 'Learners', learnersCaption: 'Each learner’s figures in this period', learnersNote: 'Only learners’ display names and learning figures are shown.',
      learnerName: 'Learner', learnerMinutes: 'Learning time (minutes)', noLearners: 'This organization has no learners yet.',
    },
  },
};
