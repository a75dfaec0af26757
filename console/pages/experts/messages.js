// The experts' area (inbox, thread, help plan, visits, profile), in Chinese and English.

export default {
  'zh-CN': {
    nav: { inbox: '咨询收件箱', profile: '我的专家资料' },
    navText: { inbox: '求助者的咨询：实时更新，回复、帮扶计划与走访', profile: '目录中显示的姓名、简介与是否接受新咨询' },
    consultationStatus: { OPEN: '待回复', ANSWERED: '已回复', CLOSED: '已结束' },
    visitStatus: { REQUESTED: '已申请', SCHEDULED: '已安排', DONE: '已完成', CANCELLED: '已取消' },
    area: { PSYCHOLOGICAL: '心理矫治', LEGAL: '法律咨询', EDUCATIONAL: '教育矫正', REHABILITATION: '康复训练' },
    inbox: {
      heading: '咨询收件箱', caption: '我的咨询（最近有动态的在前）', subject: '主题', client: '求助者', status: '状态', unread: '未读',
      unreadCount: '{count} 条未读', last: '最新消息', activity: '最近动态', filter: '按状态筛选', empty: '暂时没有咨询。',
      live: '实时更新已开启', newActivity: '“{subject}”有新动态', totalUnread: '共 {count} 条未读消息',
    },
    thread: {
      replyForm: '写回复', messages: '消息记录', earlier: '加载更早的消息', you: '我', reply: '回复', replyHelp: '按 Ctrl+Enter 也可发送。草稿会自动保存在本标签页中。',
      send: '发送', sending: '正在发送…', notSent: '未发送：连接中断。连接恢复后会自动重发，也可以点“重试”。', retry: '重试', discard: '放弃',
      failed: '发送失败：{message}', attach: '附件（可选）', attachment: '附件', openAttachment: '打开附件 {name}', read: '已读', unreadMark: '未读',
      close: '结束咨询', closeConfirm: '结束后，求助者再次留言时会自动重新打开。确定结束吗？', closed: '咨询已结束', back: '返回收件箱',
      notFound: '找不到这条咨询，或您不是它的专家。', imageAlt: '附件图片：{name}', draftKept: '已恢复未发送的草稿。', emptyReply: '请先写下回复内容。',
      clientWrote: '{name} 发来新消息',
    },
    plan: {
      heading: '帮扶计划', goals: '目标', measures: '措施', measure: '措施 {n}', description: '内容', due: '截止时间', done: '已完成',
      addMeasure: '添加措施', removeMeasure: '删除措施 {n}', followUp: '下次回访', save: '保存新版本', saved: '帮扶计划已保存为第 {revision} 版',
      none: '尚未制定帮扶计划。', history: '修订历史', revision: '第 {revision} 版', revisionAt: '第 {revision} 版 · {when}', current: '当前版本',
    },
    visits: {
      heading: '走访', none: '还没有走访。', request: '申请走访', when: '时间', where: '地点', note: '备注', schedule: '安排', reschedule: '改期',
      complete: '标记完成', cancel: '取消走访', cancelConfirm: '确定取消这次走访吗？', scheduleTitle: '安排走访', requested: '已申请走访',
      scheduled: '走访已安排', completed: '走访已完成', cancelled: '走访已取消', unscheduled: '时间未定',
    },
    profile: {
      heading: '我的专家资料', displayName: '显示名称', title: '职称', bio: '简介', area: '专业组', specialties: '擅长方向',
      specialtiesHelp: '用逗号或顿号分隔，如：成瘾心理、家庭关系', accepting: '接受新的咨询', acceptingHelp: '取消勾选后，您仍在专家目录中，但求助者不能选择您发起新咨询。',
      none: '您的账号还没有专家资料，请联系管理员创建。', saved: '资料已保存',
    },
  },
  en: {
    nav: { inbox: 'Consultation inbox', profile: 'My expert profile' },
    navText: { inbox: 'Clients’ consultations, live: replies, help plans and visits', profile: 'Your name, bio and whether you take new consultations' },
    consultationStatus: { OPEN: 'Awaiting reply', ANSWERED: 'Answered', CLOSED: 'Closed' },
    visitStatus: { REQUESTED: 'Requested', SCHEDULED: 'Scheduled', DONE: 'Done', CANCELLED: 'Cancelled' },
    area: { PSYCHOLOGICAL: 'Psychological', LEGAL: 'Legal', EDUCATIONAL: 'Educational', REHABILITATION: 'Rehabilitation' },
    inbox: {
      heading: 'Consultation inbox', caption: 'My consultations (latest activity first)', subject: 'Subject', client: 'Client', status: 'Status', unread: 'Unread',
      unreadCount: '{count} unread', last: 'Latest message', activity: 'Last activity', filter: 'Filter by status', empty: 'No consultations yet.',
      live: 'Live updates on', newActivity: 'New activity in “{subject}”', totalUnread: '{count} unread messages in all',
    },
    thread: {
      replyForm: 'Write a reply', messages: 'Messages', earlier: 'Load earlier messages', you: 'Me', reply: 'Reply', replyHelp: 'Ctrl+Enter sends too. Your draft is kept in this tab.',
      send: 'Send', sending: 'Sending…', notSent: 'Not sent: the connection was lost. It is sent again when the connection is back, or choose Retry.', retry: 'Retry', discard: 'Discard',
      failed: 'Not sent: {message}', attach: 'Attachments (optional)', attachment: 'Attachment', openAttachment: 'Open attachment {name}', read: 'Read', unreadMark: 'Unread',
      close: 'Close consultation', closeConfirm: 'The client writing again reopens it. Close this consultation?', closed: 'Consultation closed', back: 'Back to the inbox',
      notFound: 'This consultation does not exist, or you are not its expert.', imageAlt: 'Attached image: {name}', draftKept: 'Your unsent draft was restored.', emptyReply: 'Write a reply first.',
      clientWrote: 'New message from {name}',
    },
    plan: {
      heading: 'Help plan', goals: 'Goals', measures: 'Measures', measure: 'Measure {n}', description: 'What', due: 'Due', done: 'Done',
      addMeasure: 'Add a measure', removeMeasure: 'Remove measure {n}', followUp: 'Next follow-up', save: 'Save as a new revision', saved: 'Help plan saved as revision {revision}',
      none: 'No help plan yet.', history: 'Revision history', revision: 'Revision {revision}', revisionAt: 'Revision {revision} · {when}', current: 'current',
    },
    visits: {
      heading: 'Visits', none: 'No visits yet.', request: 'Request a visit', when: 'When', where: 'Where', note: 'Note', schedule: 'Schedule', reschedule: 'Reschedule',
      complete: 'Mark done', cancel: 'Cancel visit', cancelConfirm: 'Cancel this visit?', scheduleTitle: 'Schedule the visit', requested: 'Visit requested',
      scheduled: 'Visit scheduled', completed: 'Visit done', cancelled: 'Visit cancelled', unscheduled: 'Time not fixed',
    },
    profile: {
      heading: 'My expert profile', displayName: 'Display name', title: 'Title', bio: 'About me', area: 'Group', specialties: 'Specialties',
      specialtiesHelp: 'Separated by commas, e.g. addiction psychology, family', accepting: 'Taking new consultations', acceptingHelp: 'Unticked, you stay in the directory but clients cannot choose you for a new consultation.',
      none: 'Your account has no expert profile yet; ask an administrator to create one.', saved: 'Profile saved',
    },
  },
};
