// The administrators' area, in Chinese and English.

export default {
  'zh-CN': {
    nav: { users: '用户', apiKeys: 'API 密钥', organizations: '机构', privacy: '隐私说明', audit: '咨询审计日志' },
    navText: {
      users: '账号的创建、停用、恢复与重置密码', apiKeys: '机构对接系统（LMS 等）使用的密钥',
      organizations: '学校、社区、康复中心等机构',
      privacy: '咨询服务隐私说明的各个版本与发布', audit: '谁在何时查看或更改了哪条咨询',
    },
    organizationKind: { SCHOOL: '学校', COMMUNITY: '社区', REHAB_CENTER: '康复中心', AGENCY: '主管部门' },
    users: {
      heading: '用户', caption: '全部账号（按用户名）', filters: '筛选用户', search: '搜索（用户名或显示名称）', role: '角色', organization: '所属机构', state: '状态',
      any: '全部', none: '无', active: '正常', inactive: '已停用', username: '用户名', displayName: '显示名称', roles: '角色', actions: '操作',
      password: '初始密码', passwordHelp: '至少 10 个字符。请当面或通过安全渠道告知本人。',
      create: '新建用户', created: '已创建用户“{name}”',
      deactivate: '停用', reactivate: '恢复', reset: '重置密码',
      confirmDeactivate: '停用后，“{name}”将无法登录，已登录的会话和实时连接会立即结束。确定停用吗？',
      confirmReset: '将为“{name}”生成一个临时密码，其所有已登录的会话会立即结束，下次登录时须设置新密码。继续吗？',
      deactivated: '已停用“{name}”', reactivated: '已恢复“{name}”',
      resetSecondFactor: '重置两步验证',
      confirmResetSecondFactor: '将移除“{name}”的两步验证和恢复码（例如手机丢失时），其所有会话会立即结束，下次登录时须重新设置。此操作会记入审计。继续吗？',
      secondFactorReset: '已重置“{name}”的两步验证',
      temporaryTitle: '“{name}”的临时密码', temporaryText: '此密码只显示这一次。请通过安全渠道告知本人；关闭后无法再次查看。',
      copy: '复制', copied: '已复制', done: '我已记下',
    },
    keys: {
      heading: 'API 密钥', caption: '全部密钥（最新在前）', name: '名称', nameHelp: '例如对接系统的名称，便于日后辨认。', organization: '机构', chooseOrganization: '请选择机构',
      createdAt: '创建时间', lastUsedAt: '最近使用', never: '从未使用', expiresAt: '到期时间', noExpiry: '不过期', expiresOn: '有效期至（可选）',
      expiresHelp: '密钥在所选日期（UTC）结束时失效，最长十年；留空则不过期。', state: '状态', usable: '可用', expired: '已过期', revoked: '已吊销', actions: '操作',
      create: '新建密钥', revoke: '吊销', confirmRevoke: '吊销后，使用“{name}”的系统的下一次请求将被拒绝，无法恢复。确定吊销吗？', revokedDone: '已吊销“{name}”',
      secretTitle: '密钥“{name}”', secretText: '密钥只显示这一次，服务器只保存其摘要。请立即复制并配置到对接系统中；关闭后无法再次查看。',
    },
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
    nav: { users: 'Users', apiKeys: 'API keys', organizations: 'Organizations', privacy: 'Privacy notice', audit: 'Consultation audit log' },
    navText: {
      users: 'Create, deactivate and reactivate accounts, reset passwords', apiKeys: 'Keys for organizations’ systems (an LMS, say)',
      organizations: 'Schools, communities, rehabilitation centres',
      privacy: 'Versions of the consultation desk’s privacy notice', audit: 'Who opened or changed which consultation, and when',
    },
    organizationKind: { SCHOOL: 'School', COMMUNITY: 'Community', REHAB_CENTER: 'Rehabilitation centre', AGENCY: 'Agency' },
    users: {
      heading: 'Users', caption: 'All accounts (by username)', filters: 'Filter users', search: 'Search (username or display name)', role: 'Role', organization: 'Organization', state: 'State',
      any: 'Any', none: 'None', active: 'Active', inactive: 'Deactivated', username: 'Username', displayName: 'Display name', roles: 'Roles', actions: 'Actions',
      password: 'Initial password', passwordHelp: 'At least 10 characters. Tell the person in person or over a safe channel.',
      create: 'New user', created: 'User “{name}” created',
      deactivate: 'Deactivate', reactivate: 'Reactivate', reset: 'Reset password',
      confirmDeactivate: '“{name}” will no longer be able to sign in, and their open sessions and live connections end at once. Deactivate?',
      confirmReset: 'A temporary password will be generated for “{name}”; their open sessions end at once and they must choose a new password at their next sign-in. Go on?',
      deactivated: '“{name}” deactivated', reactivated: '“{name}” reactivated',
      resetSecondFactor: 'Reset two-step verification',
      confirmResetSecondFactor: '“{name}”’s two-step verification and recovery codes will be removed (a lost phone, say); their sessions end at once and they set it up again at their next sign-in. This is recorded in the audit. Go on?',
      secondFactorReset: 'Two-step verification of “{name}” reset',
      temporaryTitle: 'Temporary password for “{name}”', temporaryText: 'This password is shown this once. Tell the person over a safe channel; it cannot be shown again after you close this.',
      copy: 'Copy', copied: 'Copied', done: 'I have noted it',
    },
    keys: {
      heading: 'API keys', caption: 'All keys (newest first)', name: 'Name', nameHelp: 'The system that will use it, say, so you can tell keys apart later.', organization: 'Organization', chooseOrganization: 'Choose an organization',
      createdAt: 'Created', lastUsedAt: 'Last used', never: 'Never', expiresAt: 'Expires', noExpiry: 'Does not expire', expiresOn: 'Valid until (optional)',
      expiresHelp: 'The key stops working at the end of the day chosen (UTC), at most ten years ahead; leave empty for no expiry.', state: 'State', usable: 'Usable', expired: 'Expired', revoked: 'Revoked', actions: 'Actions',
      create: 'New key', revoke: 'Revoke', confirmRevoke: 'The next request of the system using “{name}” will be refused, and this cannot be undone. Revoke?', revokedDone: '“{name}” revoked',
      secretTitle: 'Key “{name}”', secretText: 'The key is shown this once; the server keeps only a digest of it. Copy it into the system now; it cannot be shown again after you close this.',
    },
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
