// Registration and digitization in a browser with JavaScript off, on a server started with
// `--demo`: the completeness checklist and the letters it issues, scanned documents uploaded in a
// batch (and a file refused for what it really is), the missing items arriving, and an original
// handed over by the applicant: received and labelled, lent, found again with a barcode scanner,
// taken back and returned. Then the archivist, who keeps the paper but may not read the case.
// Every page visited is screenshotted (documents-NN-name.png) and audited with axe-core.
//
// Run with scripts/e2e, which starts the server (SQLite, then PostgreSQL) and sets NANSEN_BASE_URL.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Harness, open, signIn, signOut, story, submit, text, today } from '../lib/harness.js';
import { png } from '../lib/files.js';

let h;
before(async () => {
  h = await Harness.start({ prefix: 'documents-' });
});
after(async () => {
  await h?.close();
});

const path = (page) => new URL(page.url()).pathname;
const status = (page) => text(page, '#status');
const done = (page) => new URL(page.url()).searchParams.get('done');

// ---- small real files ------------------------------------------------------------------------------------------

/** GET with the agent's cookies; the body must be a PDF. Returns its bytes. */
async function fetchPdf(page, href) {
  const response = await page.request.get(href);
  assert.equal(response.status(), 200, `GET ${href}`);
  assert.match(response.headers()['content-type'] ?? '', /^application\/pdf/, `GET ${href} is a PDF`);
  const body = await response.body();
  assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-', `GET ${href} starts with %PDF-`);
  return body;
}

/** The type column (second cell) of every row of the documents table. */
async function documentKinds(page) {
  const cells = await page.locator('#documents tbody tr td:nth-child(2)').allTextContents();
  return cells.map((c) => c.replace(/\s+/g, ' ').trim());
}

describe('registration and digitization', () => {
  const step = story();
  let page;
  let context;
  let number;
  let caseUrl;
  let receipt; // the bytes of the acknowledgment of registration
  let originalId;
  let originalUrl;

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step('the registration form has the completeness checklist', async () => {
    await signIn(page, 'sec.martin');
    assert.equal(path(page), '/cases/new');
    assert.equal(await page.locator('#checklist input[type=hidden][name=checklist][value="1"]').count(), 1);
    for (const item of ['form', 'signature', 'photographs', 'residence_document', 'account_of_reasons']) {
      assert.equal(
        await page.locator(`#checklist input[type=checkbox][name=present][value=${item}]`).count(),
        1,
        `the checklist has ${item}`,
      );
    }
    assert.equal(await page.locator('label[for=missing]').count(), 1);
    await h.check(page, 'register-checklist');
  });

  step('an application without photographs nor account of reasons is registered incomplete, with two letters', async () => {
    await page.selectOption('#kind', 'asylum');
    await page.selectOption('#procedure', 'normal');
    await page.selectOption('#nationality', 'SDN');
    await page.fill('#language', 'ar');
    await page.fill('#family_latin', 'Osman');
    await page.fill('#given_latin', 'Hawa');
    await page.fill('#family_original', 'عثمان');
    await page.fill('#given_original', 'حواء');
    await page.fill('#birth_date', '1990-07-02');
    await page.fill('#birth_place', 'El Geneina');
    await page.fill('#introduced_on', today());
    await page.check('input[name=sex][value=female]');
    for (const item of ['form', 'signature', 'residence_document']) {
      await page.check(`#checklist input[name=present][value=${item}]`);
    }
    for (const item of ['photographs', 'account_of_reasons']) {
      await page.uncheck(`#checklist input[name=present][value=${item}]`);
    }
    await page.fill('#missing', '');
    const response = await submit(page, page.getByRole('button', { name: 'Enregistrer une demande' }));
    assert.equal(response.status(), 200);
    const m = path(page).match(/^\/cases\/(\d{4}-\d{7})$/);
    assert.ok(m, `the registration leads to the case page, not ${page.url()}`);
    number = m[1];
    caseUrl = `/cases/${number}`;
    assert.equal(done(page), 'registered');
    assert.equal(await status(page), 'Incomplète');
    const missing = (await page.locator('#missing-items li').allTextContents()).map((t) => t.trim());
    assert.deepEqual(missing, ["Deux photographies d'identité récentes", 'Récit des motifs de la demande, rédigé en français']);
    assert.deepEqual(await documentKinds(page), ["Accusé d'enregistrement", 'Demande de pièces manquantes']);
    await h.check(page, 'case-incomplete');
  });

  step('the acknowledgment of registration is a PDF', async () => {
    const link = page.locator('#documents tbody tr', { hasText: "Accusé d'enregistrement" }).locator('a');
    const href = await link.getAttribute('href');
    assert.equal(href, `${caseUrl}/documents/1`);
    receipt = await fetchPdf(page, href);
    const request = page.locator('#documents tbody tr', { hasText: 'Demande de pièces manquantes' }).locator('a');
    await fetchPdf(page, await request.getAttribute('href'));
  });

  step('a photograph and an application form are scanned and attached in one batch', async () => {
    const form = page.locator(`form[action="${caseUrl}/documents"]`);
    assert.equal(await form.getAttribute('enctype'), 'multipart/form-data');
    assert.equal(await form.locator('fieldset.fr-upload-row').count(), 5);
    await page.selectOption('#kind_0', 'photograph');
    await page.fill('#description_0', "Photographie d'identité");
    await page.fill('#received_on_0', today());
    await page.setInputFiles('#file_0', { name: 'photo.png', mimeType: 'image/png', buffer: png(40, 50) });
    await page.selectOption('#kind_1', 'application_form');
    await page.fill('#language_1', 'fr');
    await page.fill('#description_1', 'Formulaire OFPRA signé');
    await page.setInputFiles('#file_1', { name: 'formulaire.pdf', mimeType: 'application/pdf', buffer: receipt });
    const response = await submit(page, form.locator('button[type=submit]'));
    assert.equal(response.status(), 200);
    assert.equal(path(page), caseUrl);
    assert.equal(done(page), 'uploaded');
    assert.match(await text(page, '[role=status]'), /Les pièces sont jointes au dossier/);
    assert.deepEqual(await documentKinds(page), [
      "Accusé d'enregistrement",
      'Demande de pièces manquantes',
      "Photographie d'identité",
      'Formulaire de demande',
    ]);
    const rows = page.locator('#documents tbody tr');
    assert.match(await rows.nth(2).textContent(), /Numérisé/);
    assert.match(await rows.nth(3).textContent(), /Formulaire OFPRA signé/);
    assert.equal(await status(page), 'Incomplète', 'a scan does not tick the checklist');
    await h.check(page, 'case-uploaded');
  });

  step('an HTML page named scan.pdf is refused next to its file field, and nothing is attached', async () => {
    const form = page.locator(`form[action="${caseUrl}/documents"]`);
    await page.selectOption('#kind_0', 'evidence');
    await page.fill('#description_0', 'Attestation');
    const html = Buffer.from('<!doctype html><html><body><p>Not a scan</p></body></html>\n');
    await page.setInputFiles('#file_0', { name: 'scan.pdf', mimeType: 'application/pdf', buffer: html });
    const response = await submit(page, form.locator('button[type=submit]'));
    assert.equal(response.status(), 422);
    assert.equal(path(page), `${caseUrl}/documents`);
    assert.match(await text(page, '#file_0-error'), /ni un PDF, ni une image/);
    assert.equal(await page.getAttribute('#file_0', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#file_0', 'aria-describedby'), 'file_0-error');
    assert.equal(await page.locator('#documents tbody tr').count(), 4, 'no new document');
    await h.check(page, 'upload-error');
  });

  step('the missing items arrive: the case becomes complete', async () => {
    await open(page, caseUrl);
    const form = page.locator(`form[action="${caseUrl}/complete"]`);
    const boxes = form.locator('input[type=checkbox][name=received]');
    assert.equal(await boxes.count(), 2);
    for (let i = 0; i < 2; i++) await boxes.nth(i).check();
    const response = await submit(page, page.getByRole('button', { name: 'Pièces reçues' }));
    assert.equal(response.status(), 200);
    assert.equal(path(page), caseUrl);
    assert.equal(done(page), 'complete');
    assert.equal(await status(page), 'Complète');
    assert.equal(await page.locator('#missing-items').count(), 0);
    assert.equal(await page.locator(`form[action="${caseUrl}/complete"]`).count(), 0);
    await h.check(page, 'case-completed');
  });

  step('an original without its shelf is refused next to that field, and what was typed is kept', async () => {
    await page.selectOption('#original-kind', 'identity_document');
    await page.fill('#original-description', 'Passeport soudanais');
    await page.fill('#original-received_on', today());
    await page.fill('#original-store', 'M1');
    await page.fill('#original-shelf', '');
    await page.fill('#original-box', 'B-042');
    const form = page.locator(`form[action="${caseUrl}/originals"]`);
    const response = await submit(page, form.locator('button[type=submit]'));
    assert.equal(response.status(), 422);
    assert.equal(path(page), `${caseUrl}/originals`);
    assert.ok((await text(page, '#original-shelf-error')).length > 0, 'an error next to the shelf');
    assert.equal(await page.getAttribute('#original-shelf', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#original-kind'), 'identity_document');
    assert.equal(await page.inputValue('#original-description'), 'Passeport soudanais');
    assert.equal(await page.inputValue('#original-store'), 'M1');
    assert.equal(await page.inputValue('#original-box'), 'B-042');
    await h.check(page, 'original-error');
  });

  step('with its shelf, the original is received: its page shows the label to print and its history', async () => {
    await page.fill('#original-shelf', 'T12');
    const form = page.locator(`form[action="${caseUrl}/originals"]`);
    const response = await submit(page, form.locator('button[type=submit]'));
    assert.equal(response.status(), 200);
    const m = path(page).match(/^\/originals\/([^/]+)$/);
    assert.ok(m, `the original's page, not ${page.url()}`);
    originalId = decodeURIComponent(m[1]);
    originalUrl = `/originals/${m[1]}`;
    assert.equal(done(page), 'received');
    assert.equal(await text(page, '#custody'), 'En magasin');
    assert.equal(await page.locator('.fr-qr svg').count(), 1, 'a QR code');
    assert.equal(await text(page, '.fr-label-id'), originalId);
    assert.match(await text(page, 'h1'), new RegExp(originalId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(await text(page, '#location'), /M1.*T12.*B-042/);
    const label = page.locator(`a[href="${originalUrl}/label.pdf"]`);
    assert.equal(await label.count(), 1);
    await fetchPdf(page, await label.getAttribute('href'));
    assert.equal(await page.locator('#original-history li').count(), 1);
    assert.match(await text(page, '#original-history'), /Reçu et rangé/);
    await h.check(page, 'original-received');

    // The case lists it too.
    await open(page, caseUrl);
    assert.equal(await page.locator(`#originals a[href="${originalUrl}"]`).count(), 1);
  });

  step('the original is lent to an officer', async () => {
    await open(page, originalUrl);
    await page.fill('#lend-to', 'opi.karimi');
    const response = await submit(page, page.getByRole('button', { name: 'Prêter', exact: true }));
    assert.equal(response.status(), 200);
    assert.equal(path(page), originalUrl);
    assert.equal(done(page), 'custody_lend');
    assert.equal(await text(page, '#custody'), 'Prêté');
    assert.match(await text(page, '#holder'), /opi\.karimi/);
    assert.equal(await page.locator('#original-history li').count(), 2);
    await h.check(page, 'original-lent');
  });

  step('the list of originals shows who holds it; its identifier typed in the find box opens it', async () => {
    await submit(page, page.locator('header nav a[href="/originals"]'));
    assert.equal(path(page), '/originals');
    assert.equal(await text(page, 'h1'), 'Originaux');
    const row = page.locator('#originals-list tbody tr', { has: page.locator(`a[href="${originalUrl}"]`) });
    assert.equal(await row.count(), 1, 'the list has the original');
    const cells = (await row.locator('td').allTextContents()).map((c) => c.replace(/\s+/g, ' ').trim());
    assert.equal(cells[1], number);
    assert.equal(cells[4], 'Prêté');
    assert.match(cells[6], /opi\.karimi/);
    // The whole list shows the first page of the demo's originals (a scanner finds the others).
    assert.match(await text(page, '#originals-first'), /premiers/);
    await h.check(page, 'originals-all');
    await submit(page, page.locator('main a[href="/originals?lent=1"]'));
    assert.equal(new URL(page.url()).searchParams.get('lent'), '1');
    const lent = page.locator('#originals-list tbody tr', { has: page.locator(`a[href="${originalUrl}"]`) });
    assert.equal(await lent.count(), 1, 'the original is among those lent');
    assert.match(await lent.textContent(), /opi\.karimi/);
    assert.equal(
      await page.locator('#originals-list tbody tr', { hasNotText: 'Prêté' }).count(),
      0,
      'only originals lent',
    );
    await h.check(page, 'originals-lent');

    // A handheld scanner types the identifier and Enter.
    await page.fill('#find', originalId);
    await Promise.all([page.waitForNavigation(), page.press('#find', 'Enter')]);
    assert.equal(path(page), originalUrl);
    assert.equal(await text(page, '#custody'), 'Prêté');
  });

  step('an unknown identifier in the find box is answered next to the field', async () => {
    await open(page, '/originals');
    await page.fill('#find', 'NO-SUCH-ORIGINAL');
    const response = await submit(page, page.getByRole('button', { name: 'Ouvrir', exact: true }));
    assert.equal(response.status(), 404);
    assert.equal(path(page), '/originals');
    assert.match(await text(page, '#find-error'), /Aucun original ne porte cet identifiant/);
    assert.equal(await page.getAttribute('#find', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#find'), 'NO-SUCH-ORIGINAL');
    // The same answer in the (short) view of the originals lent, audited.
    const lent = await open(page, '/originals?lent=1&find=NO-SUCH-ORIGINAL');
    assert.equal(lent.status(), 404);
    assert.match(await text(page, '#find-error'), /Aucun original ne porte cet identifiant/);
    assert.equal(await page.getAttribute('#find', 'aria-describedby'), 'find-error');
    await h.check(page, 'originals-not-found');
  });

  step('the original is taken back to the store, then returned to the applicant', async () => {
    await open(page, originalUrl);
    await page.fill('#loc-store', 'M1');
    await page.fill('#loc-shelf', 'T12');
    await page.fill('#loc-box', 'B-043');
    let response = await submit(page, page.getByRole('button', { name: 'Retour de prêt' }));
    assert.equal(response.status(), 200);
    assert.equal(done(page), 'custody_take_back');
    assert.equal(await text(page, '#custody'), 'En magasin');
    assert.match(await text(page, '#location'), /B-043/);
    assert.equal(await page.locator('#original-history li').count(), 3);
    await h.check(page, 'original-taken-back');

    await page.fill('#signed_by', 'Hawa Osman');
    await page.fill('#return-on', today());
    response = await submit(page, page.getByRole('button', { name: 'Restituer au demandeur' }));
    assert.equal(response.status(), 200);
    assert.equal(done(page), 'custody_return');
    assert.equal(await text(page, '#custody'), 'Restitué');
    assert.match(await text(page, '#holder'), /Hawa Osman/);
    assert.equal(await page.locator('#original-history li').count(), 4);
    assert.equal(await page.locator('#custody-h').count(), 0, 'a returned original has no more movements');
    await h.check(page, 'original-returned');

    await submit(page, page.locator('header nav a[href="/originals"]'));
    assert.equal(await page.locator(`a[href="${originalUrl}"]`).count(), 0, 'a returned original leaves the list');
    await signOut(page);
  });

  step('the archivist lands on the originals, and may not open the case', async () => {
    await signIn(page, 'arch.renard');
    assert.equal(path(page), '/originals');
    assert.equal(await text(page, 'h1'), 'Originaux');
    assert.equal(await page.locator('header nav a[href="/originals"]').count(), 1);
    // (The same list as the secretary's, audited above.)
    const response = await open(page, caseUrl);
    assert.equal(response.status(), 403);
    assert.equal(await text(page, 'h1'), 'Accès refusé');
    assert.doesNotMatch(await text(page, 'main'), /Osman|عثمان|Hawa/);
    await h.check(page, 'archivist-forbidden');
    await signOut(page);
  });
});
