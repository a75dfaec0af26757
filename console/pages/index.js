// Every area of the console, in navigation order. A new area (experts, admin, reports) is a folder
// beside these with an index.js exporting {id, messages, routes, nav}; add one import line here.

import core from './core/index.js';
import editors from './editors/index.js';
import experts from './experts/index.js';
import reports from './reports/index.js';
import admin from './admin/index.js';

export const areas = [core, editors, experts, reports, admin];

export function navEntries() {
  return areas.flatMap((area) => area.nav || []);
}
