// The expert's own directory entry: name, title, bio, group, specialties, and whether clients may
// choose them for a new consultation (saveExpertProfile, with their own user id).

import { h } from '../../lib/dom.js';
import { t } from '../../lib/i18n.js';
import { query, mutate } from '../../lib/api.js';
import { pageHeader } from '../../ui/shell.js';
import { Form, button } from '../../ui/form.js';
import { toast } from '../../ui/toast.js';

const PROFILE = 'id displayName title bio area specialties acceptingConsultations photo { id }';
const OWN = `query ConsoleExpertProfile { viewer { user { id } expertProfile { ${PROFILE} } } }`;
const SAVE = `mutation ConsoleSaveExpertProfile($input: ExpertProfileInput!) { saveExpertProfile(input: $input) { expert { ${PROFILE} } errors { field message code } } }`;
const AREAS = ['PSYCHOLOGICAL', 'LEGAL', 'EDUCATIONAL', 'REHABILITATION'];

export default async function render({ signal }) {
  const data = await query(OWN, {}, { signal });
  const profile = data.viewer.expertProfile;
  if (!profile) return h('div', { class: 'page' }, pageHeader(t('profile.heading')), h('p', { class: 'notice' }, t('profile.none')));
  const form = new Form({ label: t('profile.heading') });
  const displayName = form.field('displayName', { label: t('profile.displayName'), value: profile.displayName, required: true });
  const title = form.field('title', { label: t('profile.title'), value: profile.title || '' });
  const area = form.field('area', { label: t('profile.area'), type: 'select', value: profile.area, options: AREAS.map((a) => ({ value: a, label: t(`area.${a}`) })) });
  const specialties = form.field('specialties', { label: t('profile.specialties'), value: profile.specialties.join('、'), help: t('profile.specialtiesHelp') });
  const bio = form.field('bio', { label: t('profile.bio'), type: 'textarea', rows: 6, value: profile.bio || '' });
  const accepting = form.field('acceptingConsultations', { label: t('profile.accepting'), type: 'checkbox', value: profile.acceptingConsultations, help: t('profile.acceptingHelp') });
  displayName.input.dataset.autofocus = '';
  form.onSubmit = async (values) => {
    await mutate(SAVE, {
      input: {
        userId: data.viewer.user.id,
        displayName: values.displayName,
        title: values.title || null,
        bio: values.bio || null,
        area: values.area,
        specialties: values.specialties.split(/[,，、;；]/).map((s) => s.trim()).filter(Boolean),
        photoId: profile.photo?.id || null,
        acceptingConsultations: values.acceptingConsultations,
      },
    });
    toast(t('profile.saved'));
  };
  form.add(displayName.el, title.el, area.el, specialties.el, bio.el, accepting.el, h('div', { class: 'form-actions' }, button(t('common.save'), { kind: 'primary', type: 'submit' })));
  return h('div', { class: 'page' }, pageHeader(t('profile.heading')), h('div', { class: 'panel form-narrow' }, form.el));
}
