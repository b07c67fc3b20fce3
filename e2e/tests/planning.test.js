// Interview planning in a browser with JavaScript off, on a server started with `--demo`:
// a planning officer's day (the register of interpreters and rooms, an interpreter with a
// language code that does not exist refused next to the field, one registered, half-days offered
// with a Saturday refused next to the field, an officer's calendar with a half-day that is not
// one refused, next week's plan with its reasons and what is missing); an officer reads the plan
// and keeps their own calendar, not a colleague's; the interpreter's own account sees its
// schedule and nothing of any case; a section head balances the division's workload (nothing
// ticked refused next to the ticks, one proposal changed and accepted). Every page is
// screenshotted (planning-NN-name.png) and audited with axe-core.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Harness, open, signIn, signOut, story, submit, text, today } from '../lib/harness.js';

let h;
before(async () => {
  h = await Harness.start({ prefix: 'planning-' });
});
after(async () => {
  await h?.close();
});

/** The Monday after today, and the Saturday before it (YYYY-MM-DD). */
function nextWeek() {
  const d = new Date(`${today()}T12:00:00Z`);
  const monday = new Date(d);
  monday.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7 || 7));
  const saturday = new Date(monday);
  saturday.setUTCDate(monday.getUTCDate() - 2);
  const iso = (x) => x.toISOString().slice(0, 10);
  return { monday: iso(monday), saturday: iso(saturday) };
}

/** A real WAV: one second of a 440 Hz tone, 8 kHz mono 16-bit PCM. */
function wav() {
  const rate = 8000;
  const data = Buffer.alloc(rate * 2);
  for (let i = 0; i < rate; i += 1) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), i * 2);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVEfmt ', 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

const done = (page) => new URL(page.url()).searchParams.get('done');

describe('interview planning', () => {
  const step = story();
  const { monday, saturday } = nextWeek();
  let page;
  let context;

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step('a planning officer lands on the register of interpreters and rooms', async () => {
    await signIn(page, 'plan.asia');
    assert.equal(new URL(page.url()).pathname, '/planning');
    assert.ok((await page.locator('#interpreters tbody tr').count()) > 10, 'the demo has interpreters');
    assert.ok((await page.locator('#rooms tbody tr').count()) > 10, 'the demo has rooms');
    await h.check(page, 'register');
  });

  step('an interpreter with a language code that does not exist is refused next to the field', async () => {
    await page.fill('#interpreter-id', 'ISM-0900');
    await page.fill('#interpreter-name', 'Hiwet Berhane');
    await page.fill('#interpreter-firm', 'ism');
    await page.fill('#interpreter-languages', 'tir, xqz');
    await page.fill('#interpreter-code_of_conduct', today());
    const refused = await submit(page, page.locator('#interpreter button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.match(await text(page, '#interpreter-languages-error'), /xqz/);
    assert.equal(await page.inputValue('#interpreter-languages'), 'tir, xqz', 'what was typed is kept');
    await h.check(page, 'interpreter-refused');
  });

  step('the interpreter is registered, and a Saturday is refused among the half-days offered', async () => {
    await page.fill('#interpreter-languages', 'tir');
    await submit(page, page.locator('#interpreter button[type=submit]'));
    assert.equal(done(page), 'interpreter');
    assert.match(await text(page, '#interpreter-ISM-0900'), /Tigrinya/);
    await open(page, '/planning/interpreters/ISM-0900');
    await page.fill('#offer-half_days', `${saturday}am`);
    const refused = await submit(page, page.locator('#offer button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.ok((await text(page, '#offer-half_days-error')).length > 0, 'the error is next to the half-days');
    await page.fill('#offer-half_days', `${monday}am ${monday}pm`);
    await submit(page, page.locator('#offer button[type=submit]'));
    assert.equal(done(page), 'offer');
    assert.equal(await page.locator('#offered li').count(), 2);
    await h.check(page, 'interpreter');
  });

  step('an officer\'s calendar shows the leave, and a half-day that is not one is refused', async () => {
    await open(page, '/planning/calendar/opi.simon');
    assert.match(await text(page, `#h-${monday}am`), /congé/);
    await page.fill('#mark-half_days', 'lundi matin');
    const refused = await submit(page, page.locator('#mark button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.ok((await text(page, '#mark-half_days-error')).length > 0);
    await h.check(page, 'calendar');
  });

  step('an officer\'s profile refuses a capacity out of range next to the field, then keeps a valid one', async () => {
    await open(page, '/planning/calendar/opi.simon');
    await page.selectOption('#sex-sex', 'male');
    await page.fill('#sex-capacity', '9');
    const refused = await submit(page, page.locator('#sex button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.ok((await text(page, '#sex-capacity-error')).length > 0, 'the error is next to the capacity');
    assert.equal(await page.inputValue('#sex-capacity'), '9', 'what was typed is kept');
    await page.fill('#sex-capacity', '2');
    await submit(page, page.locator('#sex button[type=submit]'));
    assert.equal(done(page), '1');
    assert.equal(await page.inputValue('#sex-capacity'), '2');
    await h.check(page, 'profile');
  });

  step('a firm\'s monthly statement: a month that does not exist is refused next to the field', async () => {
    await open(page, '/planning');
    await submit(page, page.locator('#statements-link'));
    assert.equal(new URL(page.url()).pathname, '/planning/statements');
    await page.selectOption('#statement-firm', 'ism');
    await page.fill('#statement-month', '2026-13');
    const refused = await submit(page, page.locator('#statement-form button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.ok((await text(page, '#statement-month-error')).length > 0);
    await page.fill('#statement-month', today().slice(0, 7));
    await submit(page, page.locator('#statement-form button[type=submit]'));
    assert.match(await text(page, '#statement-h'), /ISM/);
    await h.check(page, 'statement');
  });

  step('next week\'s plan says how good it is, why each interview is where it is, and what is missing', async () => {
    await open(page, `/planning/week?monday=${monday}`);
    assert.match(await text(page, '#status'), /optimal|écart|limite/);
    assert.ok(Number(await text(page, '#already-sent')) >= 1, 'the demo sent the week');
    const rows = page.locator('#interviews tbody tr');
    assert.ok((await rows.count()) >= 1);
    assert.ok((await text(page, '#interviews tbody tr td:last-child')).length > 0, 'each interview has its reasons');
    await h.check(page, 'week');
    await signOut(page);
  });

  step('an officer reads the plan, keeps their own calendar and not a colleague\'s', async () => {
    await signIn(page, 'opi.rahman');
    await open(page, '/planning');
    assert.equal(await page.locator('#interpreter').count(), 0, 'an officer registers no interpreter');
    await open(page, '/planning/calendar/opi.rahman');
    await page.fill('#mark-half_days', `${monday}pm`);
    await page.selectOption('#mark-reason', 'training');
    await submit(page, page.locator('#mark button[type=submit]'));
    assert.equal(done(page), '1');
    assert.match(await text(page, `#h-${monday}pm`), /formation/);
    await h.check(page, 'own-calendar');
    assert.equal((await open(page, '/planning/calendar/opi.simon')).status(), 403);
    await signOut(page);
  });

  step('an officer records an applicant\'s needs at the interview, an excused absence, and files a recording', async () => {
    await signIn(page, 'opi.karimi');
    const hrefs = await page.locator('main a[href^="/cases/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    let needs = null;
    let absence = null;
    let recording = null;
    for (const href of [...new Set(hrefs)].slice(0, 60)) {
      await open(page, href);
      if (!needs && (await page.locator('#needs-h').count()) > 0 && (await page.locator('#absence-h').count()) === 0) needs = href;
      if (!absence && (await page.locator('#absence-h').count()) > 0) absence = href;
      if (!recording && (await page.locator('#recording-form').count()) > 0) recording = href;
      if (needs && absence && recording) break;
    }
    if (recording) {
      // A PDF named .wav is refused next to the field; a real WAV is filed, and not heard before a
      // rejection or subsidiary protection unless the decision already allows it.
      await open(page, recording);
      await page.setInputFiles('#recording-file', { name: 'entretien.wav', mimeType: 'audio/wav', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
      const refused = await submit(page, page.locator('#recording-form button[type=submit]'));
      assert.equal(refused.status(), 422);
      assert.ok((await text(page, '#recording-error')).length > 0, 'the error is next to the file');
      await page.setInputFiles('#recording-file', { name: 'entretien.wav', mimeType: 'audio/wav', buffer: wav() });
      await submit(page, page.locator('#recording-form button[type=submit]'));
      assert.equal(done(page), 'recording');
      assert.ok((await page.locator('#recordings li').count()) >= 1);
      await h.check(page, 'recording');
    }
    assert.ok(needs, 'an assigned case of the officer offers the needs form');
    await open(page, needs);
    await page.selectOption('#needs-interpreter_sex', 'female');
    const refused = await submit(page, page.locator('form[action$="/needs"] button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.ok((await text(page, '#needs-grounds-error')).length > 0, 'a request says why, next to the field');
    await page.fill('#needs-grounds', 'Violences sexuelles subies en détention.');
    await page.check('#needs-vulnerable');
    await submit(page, page.locator('form[action$="/needs"] button[type=submit]'));
    assert.equal(done(page), 'needs');
    assert.match(await text(page, '#interview-needs'), /Violences/);
    await h.check(page, 'needs');
    if (absence) {
      await open(page, absence);
      await page.check('input[name=excused][value=yes]');
      const noReason = await submit(page, page.locator('form[action$="/absence"] button[type=submit]'));
      assert.equal(noReason.status(), 422);
      assert.ok((await text(page, '#absence-reason-error')).length > 0, 'an excuse says why, next to the field');
      await page.fill('#absence-reason', 'Hospitalisation, certificat transmis.');
      await submit(page, page.locator('form[action$="/absence"] button[type=submit]'));
      assert.equal(done(page), 'absence');
      assert.match(await text(page, '#absences'), /Hospitalisation/);
      await h.check(page, 'absence');
    }
    await signOut(page);
  });

  step('the interpreter\'s own account sees its schedule and nothing of any case', async () => {
    await signIn(page, 'int.tesfay');
    assert.equal(new URL(page.url()).pathname, '/planning/schedule');
    const body = await text(page, 'main');
    assert.doesNotMatch(body, /\d{4}-\d{7}/, 'no case number');
    await h.check(page, 'schedule');
    for (const path of ['/planning', `/planning/week?monday=${monday}`, '/planning/calendar/opi.simon']) {
      assert.equal((await open(page, path)).status(), 403, `${path} is refused`);
    }
    await signOut(page);
  });

  step('a section head balances the workload: nothing ticked is refused, a proposal changed and accepted assigns the case', async () => {
    await signIn(page, 'cs.fontaine');
    await open(page, '/planning');
    await submit(page, page.locator('#balance-link'));
    assert.equal(new URL(page.url()).pathname, '/planning/balance');
    assert.ok((await page.locator('#officers tbody tr').count()) >= 2, 'the division\'s officers and their loads');
    assert.ok((await page.locator('#languages tbody tr').count()) >= 1, 'demand against capacity per language');
    const proposals = page.locator('#proposals tbody tr');
    assert.ok((await proposals.count()) >= 1, 'the demo has cases waiting for an officer');
    await h.check(page, 'balance');
    const refused = await submit(page, page.locator('#accept-button'));
    assert.equal(refused.status(), 422);
    assert.ok((await text(page, '#accept-error')).length > 0, 'the error is next to the ticks');
    const row = proposals.first();
    const id = await row.getAttribute('id');
    const number = id.replace('proposal-', '');
    await page.selectOption(`#officer-${number}`, 'opi.karimi');
    await page.check(`#accept-${number}`);
    await submit(page, page.locator('#accept-button'));
    assert.match(await text(page, '#accepted'), /: 1/);
    assert.equal(await page.locator(`#proposal-${number}`).count(), 0, 'the case is no longer waiting');
    await h.check(page, 'balance-accepted');
    await signOut(page);
  });
});
