// The administrators' area, in Chinese and English.

export default {
  'zh-CN': {
    nav: { organizations: '机构', privacy: '隐私说明', audit: '咨询审计日志' },
    navText: {
      organizations: '学校、社区、康复中心等机构',
      privacy: '咨询服务隐私说明的各个版本与发布', audit: '谁在何时查看或更改了哪条咨询',
    },
    organizationKind: { SCHOOL: '学校', COMMUNITY: '社区', REHAB_CENTER: '康复中心', AGENCY: '主管部门' },
    orgs: { heading: '机构', caption: '全部机构（按名称）', name: '名称', kind: '类型', region: '地区', create: '新建机构', created: '已创建机构“{name}”' },
    privacy: {
      heading: '隐私说明', caption: '已发布的版本（最新在前）', version: '版本', locale: '语言', publishedAt: '发布时间', text: '正文', show: '查看全文',
      publish: '发布新版本', zh: '中文正文（必填）', en: '英文正文（可选）', confirm: '发布后，所有求助者都需要重新同意新版本，才能继续发起咨询或留言。确定发布吗？',
      published: '已发布第 {version} 版',
    },
    audit: {
      heading: '咨询审计日志', caption: '审计记录（最新在前）', consultation: '咨询 ID', actor: '操作人（姓名包含）', from: '开始日期', to: '结束日期',
      at: '时间', roles: '角色', action: '操作', detail: '详情', filters: '筛选审计记录',
    },
    auditAction: {
      ADMIN_READ: '管理员查看', OPENED: '发起咨询', MESSAGE_SENT: '发送消息', MARKED_READ: '标记已读', CLOSED: '结束咨询', REOPENED: '重新打开',
      HELP_PLAN_SAVED: '保存帮扶计划', VISIT_REQUESTED: '申请走访', VISIT_SCHEDULED: '安排走访', VISIT_CANCELLED: '取消走访', VISIT_DONE: '完成走访',
    },
  },
  en: {
    nav: { organizations: 'Organizations', privacy: 'Privacy notice', audit: 'Consultation audit log' },
    navText: {
      organizations: 'Schools, communities, rehabilitation centres',
      privacy: 'Versions of the consultation desk’s privacy notice', audit: 'Who opened or changed which consultation, and when',
    },
    organizationKind: { SCHOOL: 'School', COMMUNITY: 'Community', REHAB_CENTER: 'Rehabilitation centre', AGENCY: 'Agency' },
    orgs: { heading: 'Organizations', caption: 'All organizations (by name)', name: 'Name', kind: 'Kind', region: 'Region', create: 'New organization', created: 'Organization “{name}” created' },
    privacy: {
      heading: 'Privacy notice', caption: 'Published versions (newest first)', version: 'Version', locale: 'Language', publishedAt: 'Published', text: 'Text', show: 'Show the text',
      publish: 'Publish a new version', zh: 'Chinese text (required)', en: 'English text (optional)', confirm: 'Once published, every client must accept the new version before opening a consultation or writing again. Publish?',
      published: 'Version {version} published',
    },
    audit: {
      heading: 'Consultation audit log', caption: 'Audit records (newest first)', consultation: 'Consultation ID', actor: 'Actor (name contains)', from: 'From', to: 'To',
      at: 'When', roles: 'Roles', action: 'Action', detail: 'Detail', filters: 'Filter audit records',
    },
    auditAction: {
      ADMIN_READ: 'Admin read', OPENED: 'Opened', MESSAGE_SENT: 'Message sent', MARKED_READ: 'Marked read', CLOSED: 'Closed', REOPENED: 'Reopened',
      HELP_PLAN_SAVED: 'Help plan saved', VISIT_REQUESTED: 'Visit requested', VISIT_SCHEDULED: 'Visit scheduled', VISIT_CANCELLED: 'Visit cancelled', VISIT_DONE: 'Visit done',
    },
  },
};
