// The editors' area, in Chinese and English.

export default {
  'zh-CN': {
    nav: { content: '内容', media: '媒体库', banks: '题库', quizzes: '测验' },
    navText: { content: '课程与故事：撰写、审核、发布', media: '上传图片、音视频和文档', banks: '题目的编写、导入与导出', quizzes: '组卷、发布与统计' },
    content: {
      heading: '内容', lessons: '课程', stories: '故事', type: '类型', title: '标题', section: '栏目', kind: '故事类别', status: '状态', locale: '语言',
      audience: '对象', tag: '标签', updatedAt: '更新时间', pending: '有待发布的修改', scheduledAt: '定时发布 {when}', newLesson: '新建课程', newStory: '新建故事',
      filters: '筛选内容', searchHint: '标题或正文中的词，如“冰毒”',
    },
  },
  en: {
    nav: { content: 'Content', media: 'Media', banks: 'Question banks', quizzes: 'Quizzes' },
    navText: { content: 'Lessons and stories: write, review, publish', media: 'Upload images, audio, video and documents', banks: 'Write, import and export questions', quizzes: 'Assemble, publish and read statistics' },
    content: {
      heading: 'Content', lessons: 'Lessons', stories: 'Stories', type: 'Type', title: 'Title', section: 'Shelf', kind: 'Story kind', status: 'Status', locale: 'Language',
      audience: 'Audience', tag: 'Tag', updatedAt: 'Updated', pending: 'Unpublished edits', scheduledAt: 'Publishes {when}', newLesson: 'New lesson', newStory: 'New story',
      filters: 'Filter content', searchHint: 'A word from the title or text',
    },
  },
};
