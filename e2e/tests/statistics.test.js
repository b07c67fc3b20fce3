// Statistics and harmonisation in a browser with JavaScript off, on a server started with
// `--demo`: the director's charts (server-rendered SVG, each with its data table), a table by
// definition with its downloads (CSV, SDMX-CSV published), a bad period refused next to the
// field, the harmonisation committee's funnel plot and reference note, an officer who sees
// their own figures and not a colleague's, and the link from a case's draft to the note.
// Every page is screenshotted (statistics-NN-name.png) and audited with axe-core.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Harness, open, signIn, signOut, story, submit, text } from '../lib/harness.js';

let h;
before(async () => {
  h = await Harness.start({ prefix: 'statistics-' });
});
after(async () => {
  await h?.close();
});

const path = (page) => new URL(page.url()).pathname;
const year = String(new Date().getUTCFullYear());

describe('statistics and harmonisation', () => {
  const step = story();
  let page;
  let context;

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step("the director lands on the charts, each with its data table", async () => {
    await signIn(page, 'dg.vasseur');
    assert.equal(path(page), '/statistics');
    for (const id of ['flow', 'pending', 'rates', 'age', 'delay']) {
      const svg = page.locator(`svg#${id}-chart`);
      assert.equal(await svg.count(), 1, `the ${id} chart is on the page`);
      assert.equal(await svg.getAttribute('role'), 'img');
      assert.ok((await page.locator(`#${id}-chart title`).first().textContent()).length > 0, `${id} has a title`);
      assert.ok((await page.locator(`#${id}-data tbody tr`).count()) > 0, `${id} has its data table`);
    }
    // The flow table's months are this year's so far; applications were lodged.
    const months = await page.locator('#flow-data tbody th').allTextContents();
    assert.equal(months[0], `${year}-01`);
    const lodged = (await page.locator('#flow-data tbody td:nth-child(2)').allTextContents()).map(Number);
    assert.ok(lodged.reduce((a, b) => a + b, 0) > 0, 'applications were lodged this year');
    assert.match(await text(page, '#journal-head'), /\d+ · [0-9a-f]{64}/);
    await h.check(page, 'director-charts');
  });

  step('a chart downloads as an SVG file', async () => {
    const response = await page.request.get(`/statistics/charts/flow.svg?period=${year}`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^image\/svg\+xml/);
    assert.match(response.headers()['content-disposition'], /attachment/);
    const body = await response.text();
    assert.match(body, /^<\?xml/);
    assert.match(body, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  step('an Eurostat table by definition, with its downloads', async () => {
    await submit(page, page.locator('#stats-tables a[href^="/statistics/tables/migr_asydcfsta"]'));
    assert.equal(path(page), '/statistics/tables/migr_asydcfsta');
    const firstRow = await page.locator('#stats-table tbody tr').first().locator('td').allTextContents();
    assert.equal(firstRow[0], 'TOTAL', 'the page shows the totals over citizenships by default');
    assert.ok((await page.locator('#stats-notes li').count()) >= 2, 'the definitions are stated');
    await h.check(page, 'table-decisions');
    const csv = await page.request.get(await page.locator('#download-csv').getAttribute('href'));
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^citizen,sex,age,decision,TIME_PERIOD,value,flag\n/);
    const sdmx = await page.request.get(await page.locator('#download-sdmx').getAttribute('href'));
    const lines = (await sdmx.text()).trim().split('\n');
    assert.equal(lines[0], 'DATAFLOW,freq,unit,citizen,sex,age,decision,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG');
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      const [value, flag] = cells.slice(-2);
      assert.ok(flag === 'c' ? value === '' : Number(value) % 5 === 0, `published: rounded or suppressed: ${line}`);
    }
  });

  step('a period that ends before it starts is refused next to the field', async () => {
    await page.fill('#period', `${year}-06/${year}-01`);
    const response = await submit(page, page.locator('main form button[type=submit]'));
    assert.equal(response.status(), 422);
    assert.equal(await page.locator('#period').getAttribute('aria-invalid'), 'true');
    assert.match(await text(page, '#period-error'), /intervalle|range/);
    await h.check(page, 'table-bad-period');
    await signOut(page);
  });

  step('the harmonisation committee reads the funnel plot of a nationality', async () => {
    await signIn(page, 'harmo.benoit');
    await open(page, `/statistics/harmonisation?nationality=AFG&period=${year}`);
    assert.equal(await page.locator('svg#funnel-chart').count(), 1);
    const levels = await page.locator('#units tbody td:first-child').allTextContents();
    assert.ok(levels.some((l) => /Officier|Officer/.test(l)), 'the committee sees officers');
    assert.equal(await page.locator('#hidden-units').count(), 0, 'the committee sees every unit');
    await h.check(page, 'harmonisation-committee');
  });

  step('the committee publishes a new version of a reference note; a short one is refused', async () => {
    await open(page, '/statistics/notes/SDN');
    assert.match(await text(page, '#current-note h2'), /Soudan/);
    await page.fill('#title', 'Soudan : mise à jour');
    await page.fill('#body', 'trop court');
    const refused = await submit(page, page.locator('main form[method=post] button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.equal(await page.locator('#body').getAttribute('aria-invalid'), 'true');
    assert.ok((await text(page, '#body-error')).length > 0);
    await h.check(page, 'note-refused');
    await page.fill('#body', 'La situation au Darfour est appréciée région par région, au vu des rapports récents.');
    await submit(page, page.locator('main form[method=post] button[type=submit]'));
    assert.equal(new URL(page.url()).searchParams.get('done'), '1');
    assert.equal(await text(page, '#current-note h2'), 'Soudan : mise à jour');
    assert.equal(await page.locator('#note-versions li').count(), 2, 'the earlier version stays');
    await h.check(page, 'note-published');
    await signOut(page);
  });

  step('an officer sees their own figures and their section, not a colleague nor statistics', async () => {
    await signIn(page, 'opi.karimi');
    const denied = await open(page, '/statistics');
    assert.equal(denied.status(), 403, 'an officer has no statistics pages');
    await open(page, `/statistics/harmonisation?nationality=AFG&period=${year}`);
    const units = await page.locator('#units tbody th').allTextContents();
    for (const u of units) {
      assert.ok(u === 'asia/1' || u === 'asia/1/opi.karimi', `an officer sees only their section and themselves: ${u}`);
    }
    await h.check(page, 'harmonisation-officer');
  });

  step("the draft form links to the office's reference note on the applicant's country", async () => {
    await open(page, '/cases?view=mine');
    const links = page.locator('main table a[href^="/cases/"]');
    const n = await links.count();
    let found = false;
    for (let i = 0; i < n && !found; i += 1) {
      const href = await links.nth(i).getAttribute('href');
      await open(page, href);
      if ((await page.locator('#reference-note-link').count()) > 0) {
        found = true;
        const target = await page.locator('#reference-note-link').getAttribute('href');
        await open(page, target);
        assert.match(path(page), /^\/statistics\/notes\/[A-Z]{3}$/);
        await h.check(page, 'note-from-case');
      } else {
        await open(page, '/cases?view=mine');
      }
    }
    assert.ok(found, 'a case of the officer offers the draft form with the link');
    await signOut(page);
  });
});
