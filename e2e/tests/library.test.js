// The country-of-origin library in a browser with JavaScript off, on a server started with
// `--demo`: a research assistant's day (the library's last additions, an import refused next to
// the field for an unknown country then a file that is not a document, an HTML page imported
// with its script never shown, the document with its numbered passages), and an officer's day
// (a search with a facet and marked snippets, an unbalanced query answered and said so, an
// Arabic word found in an Arabic report, a passage opened, a replaced version flagged); a
// reception agent is refused the library. Every page is screenshotted (library-NN-name.png)
// and audited with axe-core.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Harness, open, signIn, signOut, story, submit, text, today } from '../lib/harness.js';

let h;
before(async () => {
  h = await Harness.start({ prefix: 'library-' });
});
after(async () => {
  await h?.close();
});

const page_html = `<!DOCTYPE html><html><head><title>Rapport</title><script>document.title = 'pwned-${Date.now()}';</script></head>
<body><h1>Érythrée – service national</h1>
<p>Le service national reste d'une durée indéterminée selon les témoignages recueillis à Asmara par la mission en ${today().slice(0, 4)}.</p>
<p>Les conscrits qui désertent sont détenus sans jugement et leurs familles sont sanctionnées par des amendes.</p></body></html>`;

describe('the country-of-origin library', () => {
  const step = story();
  let page;
  let context;

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step('a research assistant lands on the library and its last additions', async () => {
    await signIn(page, 'didr.leroy');
    assert.equal(new URL(page.url()).pathname, '/library');
    assert.ok((await page.locator('#recent li').count()) >= 10, 'the demo has a library');
    assert.match(await text(page, '#library-size'), /\d{3}/);
    await h.check(page, 'home');
  });

  step('an import with an unknown country is refused next to the field, what was typed kept', async () => {
    await submit(page, page.locator('#library-add'));
    assert.equal(new URL(page.url()).pathname, '/library/new');
    await page.setInputFiles('#import-file', { name: 'rapport.html', mimeType: 'text/html', buffer: Buffer.from(page_html) });
    await page.fill('#import-title', 'Érythrée – service national (mission)');
    await page.fill('#import-published_on', today());
    await page.fill('#import-countries', 'ERI, QQQ');
    await page.selectOption('#import-source', 'ofpra');
    await page.selectOption('#import-type', 'mission_report');
    await page.selectOption('#import-language', 'fra');
    await page.check('#topic-state\\.military-service');
    const refused = await submit(page, page.locator('#import-button'));
    assert.equal(refused.status(), 422);
    assert.ok((await text(page, '#import-countries-error')).length > 0, 'the error is next to the countries');
    assert.equal(await page.inputValue('#import-countries'), 'ERI, QQQ', 'what was typed is kept');
    assert.ok(await page.isChecked('#topic-state\\.military-service'), 'the topic stays ticked');
    await h.check(page, 'import-refused');
  });

  step('a file that is no document is refused next to the file', async () => {
    await page.setInputFiles('#import-file', { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]) });
    await page.fill('#import-countries', 'ERI');
    const refused = await submit(page, page.locator('#import-button'));
    assert.equal(refused.status(), 422);
    assert.ok((await text(page, '#import-file-error')).length > 0, 'the error is next to the file');
  });

  step('the HTML page is imported; its script is never run nor shown', async () => {
    await page.setInputFiles('#import-file', { name: 'rapport.html', mimeType: 'text/html', buffer: Buffer.from(page_html) });
    await submit(page, page.locator('#import-button'));
    assert.match(new URL(page.url()).pathname, /^\/library\/documents\/coi-/);
    assert.equal(await page.locator('.library-passages li').count() >= 1, true);
    assert.match(await text(page, '.library-passages'), /durée indéterminée/);
    assert.doesNotMatch(await page.content(), /pwned/);
    assert.match(await text(page, '#sha256'), /^[0-9a-f]{64}$/);
    await h.check(page, 'document');
    await signOut(page);
  });

  step('an officer searches with a country facet and reads marked snippets', async () => {
    await signIn(page, 'opi.karimi');
    await open(page, '/library');
    await page.fill('#q', 'checkpoints');
    await page.fill('#countries', 'AFG');
    await submit(page, page.locator('#library-go'));
    assert.ok((await page.locator('#hits > li').count()) > 0, 'passages found');
    assert.ok((await page.locator('#hits mark').count()) > 0, 'matched words are marked');
    assert.match(await text(page, '#hits'), /Afghanistan/);
    await h.check(page, 'search');
  });

  step('an unbalanced query is answered, and the correction is shown', async () => {
    await open(page, '/library?q=%22road+to');
    assert.ok((await text(page, '#mended')).length > 0);
    await h.check(page, 'mended');
  });

  step('an Arabic word finds an Arabic report; the passage opens in its document', async () => {
    await open(page, `/library?q=${encodeURIComponent('الصحفيين')}&language=ara`);
    const first = page.locator('#hits > li h3 a').first();
    assert.ok((await page.locator('#hits > li').count()) > 0, 'Arabic passages found');
    assert.equal(await page.locator('#hits .library-snippet[dir=rtl]').count() > 0, true);
    await submit(page, first);
    assert.match(new URL(page.url()).hash, /^#p\d+$/);
    assert.equal(await page.locator('.library-passages[dir=rtl]').count(), 1);
    await h.check(page, 'arabic');
  });

  step('an invalid period is refused next to the field', async () => {
    await open(page, '/library?q=marriage&published_from=2026-05-01&published_to=2026-01-01');
    assert.ok((await text(page, '#published_to-error')).length > 0);
    await h.check(page, 'period-refused');
    await signOut(page);
  });

  step('a reception agent is refused the library', async () => {
    await signIn(page, 'ofii.roux');
    const response = await open(page, "/library?q=checkpoints");
    assert.equal(response.status(), 403);
    await signOut(page);
  });
});
