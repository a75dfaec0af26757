// Pieces the editors' pages share: enum option lists, status badges, GraphQL fragments.

import { h } from '../../lib/dom.js';
import { t, label } from '../../lib/i18n.js';

export const EDITORS = ['EDITOR', 'ADMIN'];
export const STATUSES = ['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED'];
export const AUDIENCES = ['PRIMARY_SCHOOL', 'MIDDLE_SCHOOL', 'HIGH_SCHOOL', 'COLLEGE', 'ADULT', 'IN_RECOVERY'];
export const SECTIONS = ['AUDIOVISUAL', 'COURSEWARE', 'ILLUSTRATED', 'HANDBOOK'];
export const STORY_KINDS = ['RECOVERY_STORY', 'METHOD', 'PUBLIC_SERVICE'];
export const LOCALES = ['zh-CN', 'en'];

/** [{value, label}] for a select, optionally led by an "all" entry. */
export function options(group, values, { all = false, none = false } = {}) {
  const list = values.map((value) => ({ value, label: label(group, value) }));
  if (all) list.unshift({ value: '', label: t('common.all') });
  if (none) list.unshift({ value: '', label: t('common.none') });
  return list;
}

export function statusBadge(status) {
  return h('span', { class: `badge badge-${status}` }, label('publication', status));
}

export const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';
