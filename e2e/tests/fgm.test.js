// The follow-up of girls protected from FGM in a browser with JavaScript off, on a server
// started with `--demo`: the registrar's daily list (overdue flagged), a girl's follow-up, a
// letter, a certificate that is not a PDF or an image refused next to its field then a real one
// filed, a refusal's report prepared; the director signs it; an officer has no list. Every page is
// screenshotted (fgm-NN-name.png) and audited with axe-core.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Harness, open, signIn, signOut, story, submit, text, today } from '../lib/harness.js';

let h;
before(async () => {
  h = await Harness.start({ prefix: 'fgm-' });
});
after(async () => {
  await h?.close();
});

const done = (page) => new URL(page.url()).searchParams.get('done');

/** A 1×1 PNG, a real image for the certificate. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

describe('the follow-up of girls protected from FGM', () => {
  const step = story();
  let page;
  let context;
  let followUp; // the follow-up page worked on
  let person;

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step('the registrar opens the daily list: due soonest first, overdue flagged', async () => {
    await signIn(page, 'ec.morel');
    await open(page, '/fgm?days=366');
    const rows = page.locator('#due tbody tr');
    assert.ok((await rows.count()) > 0, 'the demo follows girls up');
    const dates = (await page.locator('#due tbody tr td:first-child').allTextContents()).map((d) => d.trim().slice(0, 10));
    assert.deepEqual(dates, [...dates].sort(), 'soonest first');
    followUp = await rows.first().locator('a').getAttribute('href');
    person = (await rows.first().locator('td').nth(2).textContent()).trim().replace('n° ', '');
    await h.check(page, 'list');
  });

  step('a letter, then a certificate that is not a PDF or an image is refused next to its field', async () => {
    await open(page, followUp);
    await h.check(page, 'follow-up');
    await submit(page, page.locator(`#letter-${person} button[type=submit]`));
    assert.equal(done(page), 'letter');
    const form = `#certificate-${person}`;
    await page.fill(`${form}-examined_on`, today());
    await page.setInputFiles(`${form}-file`, { name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    const refused = await submit(page, page.locator(`${form} button[type=submit]`));
    assert.equal(refused.status(), 422);
    assert.equal(await page.getAttribute(`${form}-file`, 'aria-invalid'), 'true');
    await h.check(page, 'certificate-refused');
    await page.fill(`${form}-examined_on`, today());
    await page.setInputFiles(`${form}-file`, { name: 'certificat.png', mimeType: 'image/png', buffer: PNG });
    await submit(page, page.locator(`${form} button[type=submit]`));
    assert.equal(done(page), 'certificate');
    assert.equal(await page.locator(`#girl-${person} .certificates li`).count(), 1);
  });

  step('a refusal: the report to the prosecutor is prepared for signature', async () => {
    const form = `#incident-${person}`;
    await page.selectOption(`${form}-kind`, 'refusal');
    await page.fill(`${form}-on`, today());
    await submit(page, page.locator(`${form} button[type=submit]`));
    assert.equal(done(page), 'incident');
    assert.match(await text(page, `#girl-${person} .reports`), /Refus/);
    await h.check(page, 'report-prepared');
    await signOut(page);
  });

  step('the director signs the report', async () => {
    await signIn(page, 'dg.vasseur');
    await open(page, followUp);
    const reports = await page.locator(`#girl-${person} .reports li`).count();
    assert.equal(await page.locator(`#girl-${person} .certificates`).count(), 0, 'the director does not see the certificate');
    await page.fill(`#sign-${person}-report`, String(reports));
    await submit(page, page.locator(`#sign-${person} button[type=submit]`));
    assert.equal(done(page), 'sign');
    assert.match(await text(page, `#girl-${person} .reports li:last-child`), /dg\.vasseur/);
    await h.check(page, 'report-signed');
    await signOut(page);
  });

  step('an officer has no list', async () => {
    await signIn(page, 'opi.karimi');
    const denied = await open(page, '/fgm');
    assert.equal(denied.status(), 403);
    await signOut(page);
  });
});
