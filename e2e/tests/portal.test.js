// The applicants' secure space (Espace usager) in a browser, on a phone (320 px) and on a desktop:
// the language chosen before signing in (Arabic and Dari really mirror), activation with the
// code the office hands over, the case in plain words, a document opened (and the office seeing
// when), a message with a certificate that lands in the officer's view, the second factor, the
// language remembered on another device, and isolation between applicants (another applicant's
// link, a guessed link). Every page is screenshotted (portal-NN-name.png) and audited with
// axe-core at the width it was shown.
//
// Run with scripts/e2e, which starts the server (SQLite, then PostgreSQL) and sets NANSEN_BASE_URL.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { BASE_URL, Harness, PASSWORD, open, signIn, story, submit, text, today } from '../lib/harness.js';
import { png } from '../lib/files.js';

let h;
before(async () => {
  h = await Harness.start({ prefix: 'portal-' });
});
after(async () => {
  await h?.close();
});

const PHONE = { width: 320, height: 640 };
const DESKTOP = { width: 1280, height: 900 };
const path = (page) => new URL(page.url()).pathname;

/** An applicant's browser at a width; JavaScript is on (the portal needs none, axe runs in a copy). */
async function applicantBrowser(viewport, locale = 'fr-FR') {
  const context = await h.browser.newContext({ baseURL: BASE_URL, viewport, locale, isMobile: viewport.width < 600 });
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
}

/** The secretary registers applications through the API (as her desk software would). */
async function registerThroughApi(family) {
  const session = await fetch(`${BASE_URL}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'sec.martin', password: PASSWORD }),
  });
  assert.equal(session.status, 200);
  const cookie = session.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token: csrf } = await session.json();
  const r = await fetch(`${BASE_URL}/api/v1/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf, origin: BASE_URL },
    body: JSON.stringify({
      kind: 'asylum', procedure: 'normal', nationality: 'AFG', language: 'prs',
      family_name: { latin: family }, given_names: { latin: 'Mariam' },
      birth_date: '1995-05-05', sex: 'female', introduced_on: today(), missing: [],
    }),
  });
  assert.equal(r.status, 201);
  const body = await r.json();
  assert.match(body.activation_code, /^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
  return { number: body.number, code: body.activation_code };
}

/** RFC 6238 code of a base32 secret, as the applicant's phone computes it. */
function totp(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/\s+/g, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The page does not scroll sideways at its width (usable at 320 px). */
async function fitsWidth(page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `the page is ${scroll}px wide in a ${width}px window`);
}

describe('an applicant follows their case from a phone, in their language', () => {
  const step = story();
  let phone;
  let mine;
  let theirs;
  let theirLink;
  let secret;
  const password = 'ma phrase de passe secrète';

  step('two applications are registered; each applicant has a code', async () => {
    mine = await registerThroughApi('Rahimi');
    theirs = await registerThroughApi('Sultani');
  });

  step('the other applicant activates their space on a desktop, in Dari, which mirrors', async () => {
    const { context, page } = await applicantBrowser(DESKTOP, 'fa-AF');
    await open(page, '/portal');
    assert.equal(path(page), '/portal/sign-in', 'not signed in: the sign-in page');
    assert.equal(await page.getAttribute('html', 'lang'), 'fa-AF', "the browser's language is offered first");
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    // Right to left really mirrors: the name of the space is on the right, the languages on the left.
    const brand = await page.locator('.pt-brand').boundingBox();
    const langs = await page.locator('.pt-langs').boundingBox();
    assert.ok(brand.x > langs.x, `brand at ${brand.x}, languages at ${langs.x}`);
    await h.check(page, 'sign-in-dari-desktop');
    await submit(page, page.locator('a[href="/portal/activate"]'));
    await page.fill('#case_number', theirs.number);
    await page.fill('#code', theirs.code);
    await page.fill('#password', 'کلمه عبور طولانی من');
    await page.fill('#confirm', 'کلمه عبور طولانی من');
    await submit(page, page.locator('main button[type=submit]'));
    assert.equal(path(page), '/portal');
    await h.check(page, 'home-dari-desktop');
    theirLink = await page.locator('[data-testid=documents] a').first().getAttribute('href');
    assert.match(theirLink, /^\/portal\/documents\/[a-z2-7]{26}$/);
    await context.close();
  });

  step('on a phone, the language is chosen before signing in: Arabic, right to left', async () => {
    phone = await applicantBrowser(PHONE);
    const { page } = phone;
    await open(page, '/portal/sign-in');
    assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
    await h.check(page, 'sign-in-fr-phone');
    await fitsWidth(page);
    await submit(page, page.locator('.pt-langs a[lang=ar]'));
    assert.equal(path(page), '/portal/sign-in', 'back where the applicant was');
    assert.equal(await page.getAttribute('html', 'lang'), 'ar');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.getAttribute('.pt-langs a[lang=ar]', 'aria-current'), 'true');
    await h.check(page, 'sign-in-arabic-phone');
    await fitsWidth(page);
  });

  step('a wrong code is refused next to its field, in Arabic; the right one opens the space', async () => {
    const { page } = phone;
    await submit(page, page.locator('a[href="/portal/activate"]'));
    await page.fill('#case_number', mine.number);
    await page.fill('#code', 'AAAA-BBBB-CCCC-DDDD');
    await page.fill('#password', password);
    await page.fill('#confirm', password);
    const refused = await submit(page, page.locator('main button[type=submit]'));
    assert.equal(refused.status(), 422);
    const error = await text(page, '#code-error');
    assert.match(error, /[\u0600-\u06FF]/, `the message is in Arabic: ${error}`);
    assert.equal(await page.getAttribute('#code', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#case_number'), mine.number, 'what was typed is kept');
    await h.check(page, 'activate-error-arabic-phone');
    await fitsWidth(page);
    await page.fill('#code', mine.code.toLowerCase().replaceAll('-', ' '));
    await page.fill('#password', password);
    await page.fill('#confirm', password);
    await submit(page, page.locator('main button[type=submit]'));
    assert.equal(path(page), '/portal');
  });

  step('the home page says where the case stands, with its documents, at 320 px', async () => {
    const { page } = phone;
    assert.match(await text(page, 'main'), new RegExp(mine.number));
    assert.match(await text(page, '#step-title'), /[\u0600-\u06FF]/);
    assert.equal(await page.locator('[data-testid=next-dates] li[data-milestone=decision_expected]').count(), 1);
    assert.equal(await page.locator('[data-testid=documents] li').count(), 1, 'the receipt');
    assert.equal(await page.locator('.pt-new').count(), 1, 'not opened yet');
    await h.check(page, 'home-arabic-phone');
    await fitsWidth(page);
  });

  step('opening the receipt records the first opening; the page then shows its date', async () => {
    const { page } = phone;
    const href = await page.locator('[data-testid=documents] a').first().getAttribute('href');
    const response = await page.request.get(href);
    assert.equal(response.status(), 200);
    assert.equal((await response.body()).subarray(0, 5).toString('latin1'), '%PDF-');
    await open(page, '/portal');
    assert.equal(await page.locator('.pt-new').count(), 0, 'opened');
  });

  step("another applicant's link and a guessed link show nothing", async () => {
    const { page } = phone;
    for (const href of [theirLink, '/portal/documents/abcdefghijklmnopqrstuvwxyz']) {
      const response = await open(page, href);
      assert.equal(response.status(), 404, href);
      assert.doesNotMatch(await text(page, 'main'), new RegExp(theirs.number));
    }
    await h.check(page, 'not-found-arabic-phone');
  });

  step('a message with a medical certificate is sent to the office', async () => {
    const { page } = phone;
    await open(page, '/portal');
    await submit(page, page.locator('form[action="/portal/messages"] button[type=submit]'));
    assert.ok(await page.locator('#text-error').count(), 'an empty message is refused next to the field');
    await page.fill('#text', 'عنواني الجديد: 12 شارع الزيتون، ليون');
    await page.selectOption('#kind_0', 'medical_certificate');
    await page.setInputFiles('#file_0', { name: 'certificat.png', mimeType: 'image/png', buffer: png(30, 40) });
    await submit(page, page.locator('form[action="/portal/messages"] button[type=submit]'));
    assert.equal(path(page), '/portal');
    assert.equal(await page.locator('[role=status]').count(), 1);
    assert.match(await text(page, '[data-testid=messages]'), /الزيتون/);
    await h.check(page, 'message-sent-arabic-phone');
    await fitsWidth(page);
  });

  step('a message without a file is sent too (a change of address)', async () => {
    const { page } = phone;
    await open(page, '/portal');
    await page.fill('#text', 'انتقلت: عنواني الجديد 8 شارع السنديان، ليون');
    await submit(page, page.locator('form[action="/portal/messages"] button[type=submit]'));
    assert.equal(path(page), '/portal');
    assert.equal(await page.locator('[role=status]').count(), 1);
    assert.match(await text(page, '[data-testid=messages]'), /السنديان/);
  });

  step('the applicant asks to be told of new documents by e-mail and SMS (Arabic, phone)', async () => {
    const { page } = phone;
    await open(page, '/portal');
    await submit(page, page.locator('.pt-actions a[href="/portal/notices"]'));
    assert.equal(path(page), '/portal/notices');
    await page.fill('#email', 'mariam@');
    await page.fill('#mobile', '+33 6 12 34 56 78');
    await submit(page, page.locator('form[action="/portal/notices"] button[type=submit]'));
    assert.equal(await page.locator('#email-error').count(), 1, 'a malformed address is refused next to its field');
    assert.equal(await page.inputValue('#mobile'), '+33 6 12 34 56 78', 'what was typed is kept');
    await h.check(page, 'notices-refused-arabic-phone');
    await page.fill('#email', 'mariam@example.org');
    await page.uncheck('#notify_sms');
    await submit(page, page.locator('form[action="/portal/notices"] button[type=submit]'));
    assert.equal(await page.locator('[role=status]').count(), 1);
    assert.equal(await page.inputValue('#mobile'), '+33612345678', 'the number in international form');
    assert.equal(await page.isChecked('#notify_sms'), false);
    await h.check(page, 'notices-saved-arabic-phone');
    await fitsWidth(page);
  });

  step('the second factor is turned on with a code from the phone (English, desktop)', async () => {
    const { context, page } = await applicantBrowser(DESKTOP, 'en-GB');
    await open(page, '/portal/sign-in');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.fill('#case_number', mine.number);
    await page.fill('#password', password);
    await submit(page, page.locator('main button[type=submit]'));
    assert.equal(path(page), '/portal');
    assert.equal(await page.getAttribute('html', 'lang'), 'ar', 'the language chosen on the phone is remembered');
    await submit(page, page.locator('.pt-langs a[lang=en]'));
    await open(page, '/portal/security');
    await submit(page, page.locator('form[action="/portal/security"] button[type=submit]'));
    secret = await text(page, '[data-testid=totp-secret]');
    assert.equal(await page.locator('.pt-qr svg').count(), 1, 'a QR code to scan');
    await h.check(page, 'security-setup-english-desktop');
    await page.fill('#code', totp(secret));
    await submit(page, page.locator('form[action="/portal/security"] button[type=submit]'));
    assert.match(await text(page, '[role=status]'), /code from your phone/);
    await h.check(page, 'security-on-english-desktop');
    await context.close();
  });

  step('signing in again asks for the code; Spanish and Russian pages at both widths', async () => {
    for (const [lang, viewport, name] of [['es', PHONE, 'spanish-phone'], ['ru', DESKTOP, 'russian-desktop']]) {
      const { context, page } = await applicantBrowser(viewport);
      await open(page, `/portal/language?lang=${lang}`);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      await page.fill('#case_number', mine.number);
      await page.fill('#password', password);
      await submit(page, page.locator('main button[type=submit]'));
      assert.equal(path(page), '/portal/verify');
      await h.check(page, `verify-${name}`);
      await page.fill('#code', totp(secret));
      await submit(page, page.locator('main button[type=submit]'));
      assert.equal(path(page), '/portal');
      await h.check(page, `home-${name}`);
      if (viewport === PHONE) await fitsWidth(page);
      await submit(page, page.locator('form[action="/portal/sign-out"] button'));
      assert.equal(path(page), '/portal/sign-in');
      await context.close();
    }
    await phone.context.close();
  });

  step("the officer's view of the case shows the message and the first opening", async () => {
    const { context, page } = await h.agentBrowser();
    await signIn(page, 'sec.martin');
    await open(page, `/cases/${mine.number}`);
    assert.match(await text(page, '#messages'), /الزيتون/);
    assert.match(await text(page, '#messages'), /السنديان/);
    const receiptRow = await text(page, '#documents tbody tr:first-child');
    assert.match(receiptRow, /consulté pour la première fois/);
    await h.check(page, 'officer-sees-message');
    await context.close();
  });
});
