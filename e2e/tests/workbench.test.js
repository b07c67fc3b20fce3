// The agents' workbench in a browser with JavaScript off, on a server started with `--demo`:
// an application from registration to notification through every hand it passes, the
// confidentiality of a case between divisions and roles, form errors, the language switch and
// sign-out. Every page visited is screenshotted and audited with axe-core (harness.js).
//
// Run with scripts/e2e, which starts the server (SQLite, then PostgreSQL) and sets NANSEN_BASE_URL.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Harness, open, signIn, signOut, story, submit, text, today } from '../lib/harness.js';

let h;
before(async () => {
  h = await Harness.start();
});
after(async () => {
  await h?.close();
});

const path = (page) => new URL(page.url()).pathname;
const status = (page) => text(page, '#status');

describe('sign-in page', () => {
  const step = story();
  let page;
  let context;

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step('an agent who is not signed in is sent to the sign-in page, in French', async () => {
    await open(page, '/');
    assert.equal(path(page), '/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await text(page, 'h1'), 'Se connecter');
    assert.equal(await text(page, 'label[for=password]'), 'Mot de passe');
    await h.check(page, 'login-fr');
  });

  step('the English switch shows the page in English, the French one back in French', async () => {
    await submit(page, page.locator('header a[href="/lang?lang=en"]'));
    assert.equal(path(page), '/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await text(page, 'h1'), 'Sign in');
    assert.equal(await text(page, 'label[for=login]'), 'Login');
    assert.equal(await text(page, 'label[for=password]'), 'Password');
    await h.check(page, 'login-en');
    await submit(page, page.locator('header a[href="/lang?lang=fr"]'));
    assert.equal(await text(page, 'h1'), 'Se connecter');
  });

  step('a wrong password is refused, the login typed is kept', async () => {
    await page.fill('#login', 'audit');
    await page.fill('#password', 'not-the-password');
    const response = await submit(page, page.locator('main button[type=submit]'));
    assert.equal(response.status(), 401);
    assert.equal(path(page), '/login');
    assert.match(await text(page, '[role=alert]'), /Identifiant ou mot de passe incorrect/);
    assert.equal(await page.inputValue('#login'), 'audit');
    assert.equal(await page.inputValue('#password'), '');
    await h.check(page, 'login-error');
  });
});

describe('an application from registration to notification', () => {
  const step = story();
  let page;
  let context;
  let number;
  let caseUrl;
  const comment = 'Préciser les menaces reçues en 2024 et leur auteur.';
  const facts = 'Mme Ahmadi, journaliste à Hérat, a été menacée pour ses articles.';
  const law = "Les craintes sont fondées au sens de l'article 1er, A, 2 de la convention de Genève.";

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step('the secretary lands on the registration form', async () => {
    await signIn(page, 'sec.martin');
    assert.equal(path(page), '/cases/new');
    assert.equal(await text(page, 'h1'), 'Enregistrer une demande');
    await h.check(page, 'register-form');
  });

  step('a registration without the family name is refused, and nothing typed is lost', async () => {
    await page.selectOption('#nationality', 'AFG');
    await page.fill('#language', 'prs');
    await page.fill('#given_latin', 'Zahra');
    await page.fill('#given_original', 'زهرا');
    const response = await submit(page, page.getByRole('button', { name: 'Enregistrer une demande' }));
    assert.equal(response.status(), 422);
    assert.equal(path(page), '/cases/new');
    assert.match(await text(page, '#family_latin-error'), /lettres latines/);
    assert.equal(await page.getAttribute('#family_latin', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#nationality'), 'AFG');
    assert.equal(await page.inputValue('#given_latin'), 'Zahra');
    assert.equal(await page.inputValue('#given_original'), 'زهرا');
    await h.check(page, 'register-error');
  });

  step('the secretary registers an Afghan application with names in both scripts', async () => {
    await page.selectOption('#kind', 'asylum');
    await page.selectOption('#procedure', 'normal');
    await page.selectOption('#nationality', 'AFG');
    await page.fill('#language', 'prs');
    await page.fill('#family_latin', 'Ahmadi');
    await page.fill('#given_latin', 'Zahra');
    await page.fill('#family_original', 'احمدی');
    await page.fill('#given_original', 'زهرا');
    await page.fill('#birth_date', '1994-03-21');
    await page.fill('#birth_place', 'Hérat');
    await page.fill('#introduced_on', today());
    await page.check('input[name=sex][value=female]');
    // Every item of the completeness checklist has arrived.
    for (const box of await page.locator('#checklist input[name=present]').all()) await box.check();
    await page.fill('#missing', '');
    const response = await submit(page, page.getByRole('button', { name: 'Enregistrer une demande' }));
    assert.equal(response.status(), 200);
    const m = path(page).match(/^\/cases\/(\d{4}-\d{7})$/);
    assert.ok(m, `the registration leads to the case page, not ${page.url()}`);
    number = m[1];
    caseUrl = `/cases/${number}`;
    assert.equal(new URL(page.url()).searchParams.get('done'), 'registered');
    assert.equal(await status(page), 'Complète');
    assert.match(await text(page, 'h1'), new RegExp(number));
    assert.match(await text(page, '#identity-h + dl'), /Ahmadi احمدی/);
    assert.match(await text(page, '#identity-h + dl'), /Zahra زهرا/);
    assert.match(await text(page, '#identity-h + dl'), /Afghanistan \(AFG\)/);
    assert.ok((await page.locator('#timeline li').count()) >= 1, 'the registration is in the timeline');
    await h.check(page, 'case-registered');
    await signOut(page);
  });

  step("the section head sees the division's queue, finds the case by its number and assigns it", async () => {
    await signIn(page, 'cs.fontaine');
    assert.equal(path(page), '/cases');
    assert.equal(new URL(page.url()).searchParams.get('view'), 'division');
    assert.equal(await text(page, 'h1'), 'File de la division');
    assert.equal(await text(page, 'table caption'), 'Dossiers en cours par section');
    await h.check(page, 'division-queue');

    await submit(page, page.locator('header nav a[href="/search"]'));
    await page.fill('#q', number);
    await submit(page, page.getByRole('button', { name: 'Rechercher', exact: true }));
    assert.equal(await page.locator(`main table a[href="${caseUrl}"]`).count(), 1, 'the search by number lists the case');
    assert.equal(await page.locator('main tbody tr').count(), 1);
    await h.check(page, 'search-number');

    // The name in another spelling, given name first, and in its own script.
    for (const q of ['Zahra Ahmady', 'احمدی']) {
      await open(page, `/search?q=${encodeURIComponent(q)}`);
      assert.equal(await page.locator(`main table a[href="${caseUrl}"]`).count(), 1, `${q} finds the case`);
    }
    await h.check(page, 'search-variant');
    await open(page, `/search?q=${number}`);
    const link = page.locator(`main table a[href="${caseUrl}"]`);

    await submit(page, link);
    assert.equal(path(page), caseUrl);
    assert.equal(await status(page), 'Complète');
    await h.check(page, 'case-to-assign');

    await page.selectOption('#officer-select', 'opi.karimi');
    const response = await submit(page, page.getByRole('button', { name: 'Affecter à un officier de protection' }));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('done'), 'assign');
    assert.equal(await status(page), 'Affectée');
    assert.match(await text(page, '#officer'), /opi\.karimi/);
    await h.check(page, 'case-assigned');
    await signOut(page);
  });

  step('the officer finds the case among theirs and schedules the interview', async () => {
    await signIn(page, 'opi.karimi');
    assert.equal(path(page), '/cases');
    assert.equal(new URL(page.url()).searchParams.get('view'), 'mine');
    assert.equal(await text(page, 'h1'), 'Mes dossiers');
    await h.check(page, 'my-cases');
    const link = page.locator(`main table a[href="${caseUrl}"]`);
    if ((await link.count()) > 0) {
      await submit(page, link);
    } else {
      // The list shows the most urgent cases first; a case lodged today may come after them.
      assert.equal(await page.locator('main tbody tr').count(), 100, 'the new case is in "Mes dossiers"');
      await open(page, caseUrl);
    }
    assert.equal(path(page), caseUrl);
    await page.fill('#on', today());
    await page.check('input[name=mode][value=in_person]');
    await page.fill('#place', 'Box 3');
    await page.fill('#interpreter', 'prs');
    const response = await submit(page, page.getByRole('button', { name: "Convoquer à l'entretien" }));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('done'), 'schedule');
    assert.equal(await status(page), 'Entretien prévu');
    const interview = await text(page, '#interview');
    assert.match(interview, new RegExp(today()));
    assert.match(interview, /Box 3/);
    assert.match(interview, /prs/);
    await h.check(page, 'case-scheduled');
  });

  step('"Ajouter une question" shows one more row and keeps what was typed, saving nothing', async () => {
    await page.fill('#held_on', today());
    await page.fill('#cs_q0', 'Quels sont vos nom et prénoms ?');
    await page.fill('#cs_a0', 'Zahra Ahmadi.');
    const before = await page.locator('input[id^=cs_q]').count();
    const response = await submit(page, page.locator('button[name=add][value=cs]'));
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('input[id^=cs_q]').count(), before + 1);
    assert.equal(await page.locator(`#cs_q${before}`).count(), 1);
    assert.equal(await page.inputValue('#held_on'), today());
    assert.equal(await page.inputValue('#cs_q0'), 'Quels sont vos nom et prénoms ?');
    assert.equal(await page.inputValue('#cs_a0'), 'Zahra Ahmadi.');
    assert.equal(await status(page), 'Entretien prévu', 'nothing is saved');
    assert.equal(await page.locator('#record-h').count(), 0, 'no record yet');
    await h.check(page, 'record-one-more-row');
  });

  step('the officer records the interview in two parts', async () => {
    await page.fill('#cs_q1', 'Quelle est votre date de naissance ?');
    await page.fill('#cs_a1', 'Le 21 mars 1994, à Hérat.');
    await page.fill('#fe_q0', 'Que craignez-vous en cas de retour ?');
    await page.fill('#fe_a0', "D'être arrêtée pour mes articles.");
    await page.fill('#fe_q1', 'Avez-vous été menacée ?');
    await page.fill('#fe_a1', 'Oui, par écrit, en 2024.');
    const response = await submit(page, page.getByRole('button', { name: 'Enregistrer le compte rendu' }));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('done'), 'record');
    assert.equal(await status(page), 'Entretien tenu');
    const record = page.locator('section[aria-labelledby=record-h]');
    assert.equal(await record.locator('dt').count(), 4);
    assert.match(await text(page, 'section[aria-labelledby=record-h]'), /Oui, par écrit, en 2024\./);
    await h.check(page, 'case-interviewed');
  });

  step('a draft without reasons in law is refused, and the reasons in fact are kept', async () => {
    await page.selectOption('#outcome', 'refugee_status');
    await page.check('input[name=ground][value=political_opinion]');
    await page.fill('#facts', facts);
    await page.fill('#law', '');
    const response = await submit(page, page.getByRole('button', { name: 'Rédiger le projet de décision' }));
    assert.equal(response.status(), 422);
    assert.equal(path(page), `${caseUrl}/draft`);
    assert.match(await text(page, '#law-error'), /motifs en droit/);
    assert.equal(await page.getAttribute('#law', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#facts'), facts);
    assert.equal(await page.inputValue('#outcome'), 'refugee_status');
    assert.ok(await page.isChecked('input[name=ground][value=political_opinion]'));
    assert.equal(await status(page), 'Entretien tenu');
    await h.check(page, 'draft-error');
  });

  step('the officer drafts a recognition of refugee status and submits it', async () => {
    await page.fill('#law', law);
    let response = await submit(page, page.getByRole('button', { name: 'Rédiger le projet de décision' }));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('done'), 'draft');
    assert.equal(await status(page), 'Projet rédigé');
    const draft = await text(page, 'section[aria-labelledby=draft-h]');
    assert.match(draft, /Reconnaissance de la qualité de réfugié/);
    assert.ok(draft.includes(law));
    await h.check(page, 'case-drafted');
    response = await submit(page, page.getByRole('button', { name: 'Soumettre au chef de section' }));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('done'), 'submit');
    assert.equal(await status(page), 'En validation');
    await h.check(page, 'case-submitted');
    await signOut(page);
  });

  step('the section head returns the draft with comments', async () => {
    await signIn(page, 'cs.fontaine');
    await open(page, caseUrl);
    assert.equal(await status(page), 'En validation');
    await h.check(page, 'case-under-review');
    await page.fill('#comments', comment);
    const response = await submit(page, page.getByRole('button', { name: "Renvoyer à l'officier avec observations" }));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('done'), 'return');
    assert.equal(await status(page), "Renvoyée à l'officier");
    await h.check(page, 'case-returned');
    await signOut(page);
  });

  step('the officer reads the comments, redrafts and submits again', async () => {
    await signIn(page, 'opi.karimi');
    await open(page, caseUrl);
    assert.equal(await status(page), "Renvoyée à l'officier");
    assert.match(await text(page, '#review-comments'), new RegExp(comment.replace(/[.?]/g, '\\$&')));
    assert.equal(await page.inputValue('#facts'), facts, 'the draft form holds the current draft');
    await h.check(page, 'case-returned-officer');
    await page.fill('#facts', `${facts} Elle a reçu des menaces écrites des talibans en 2024.`);
    let response = await submit(page, page.getByRole('button', { name: 'Rédiger le projet de décision' }));
    assert.equal(response.status(), 200);
    assert.equal(await status(page), 'Projet rédigé');
    await h.check(page, 'case-redrafted');
    response = await submit(page, page.getByRole('button', { name: 'Soumettre au chef de section' }));
    assert.equal(response.status(), 200);
    assert.equal(await status(page), 'En validation');
    await h.check(page, 'case-submitted-again');
    await signOut(page);
  });

  step('a wrong password does not sign; the right one does; then the decision goes to the secure space', async () => {
    await signIn(page, 'cs.fontaine');
    await open(page, caseUrl);
    assert.match(await text(page, 'section[aria-labelledby=draft-h]'), /menaces écrites des talibans/);
    let response = await submit(page, page.getByRole('button', { name: 'Valider et signer la décision' }));
    assert.equal(response.status(), 422, 'an empty password does not sign');
    assert.match(await text(page, '#password-error'), /Saisissez votre mot de passe/);
    assert.equal(await status(page), 'En validation');

    await page.fill('#sign-password', 'not-my-password');
    response = await submit(page, page.getByRole('button', { name: 'Valider et signer la décision' }));
    assert.equal(response.status(), 422, 'a wrong password does not sign');
    assert.equal(path(page), `${caseUrl}/sign`);
    assert.match(await text(page, '#password-error'), /Le mot de passe n'est pas le bon/);
    assert.equal(await page.getAttribute('#sign-password', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#sign-password', 'aria-describedby'), 'password-error');
    assert.equal(await page.inputValue('#sign-password'), '', 'a password is never sent back');
    assert.equal(await status(page), 'En validation');
    await h.check(page, 'sign-error');

    await page.fill('#sign-password', 'nansen-demo');
    response = await submit(page, page.getByRole('button', { name: 'Valider et signer la décision' }));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('done'), 'sign');
    assert.equal(await status(page), 'Signée');
    assert.match(await text(page, 'section[aria-labelledby=draft-h]'), /signé par/);
    await h.check(page, 'case-signed');

    response = await submit(page, page.getByRole('button', { name: 'Notifier la décision' }));
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('done'), 'notify');
    // The decision is put in the applicant's secure space: it is notified when first opened, or
    // deemed notified 15 days later (CESEDA R.531-17), so the case stays "Signée" until then,
    // with that day as its notification deadline.
    assert.equal(await status(page), 'Signée');
    assert.match(await text(page, '[role=status]'), /espace usager/);
    assert.match(await text(page, '.fr-deadlines'), /Notification : \d{4}-\d{2}-\d{2}/);
    assert.match(await text(page, '#timeline'), /Décision signée.*Décision déposée dans l'espace usager/);
    assert.equal(await page.getByRole('button', { name: 'Notifier la décision' }).count(), 0);
    assert.ok((await page.locator('#timeline li').count()) >= 10, 'every step is in the timeline');
    await h.check(page, 'case-notified');
    await signOut(page);
  });

  step("an officer of another division may not open the case, nor find it", async () => {
    await signIn(page, 'opi.petrov');
    const response = await open(page, caseUrl);
    assert.equal(response.status(), 403);
    assert.equal(await text(page, 'h1'), 'Accès refusé');
    assert.doesNotMatch(await text(page, 'main'), /Ahmadi|احمدی|Zahra/);
    await h.check(page, 'forbidden');

    await open(page, `/search?q=${encodeURIComponent('Ahmadi')}`);
    assert.equal(await page.locator(`a[href="${caseUrl}"]`).count(), 0, 'the family name does not find it');
    await h.check(page, 'search-other-division');
    await open(page, `/search?q=${number}`);
    assert.equal(await page.locator(`a[href="${caseUrl}"]`).count(), 0, 'its number does not find it');
    await h.check(page, 'search-number-other-division');
    await signOut(page);
  });

  step('the secretary sees the case without the interview record or the decision draft', async () => {
    await signIn(page, 'sec.martin');
    const response = await open(page, caseUrl);
    assert.equal(response.status(), 200);
    assert.equal(await status(page), 'Signée');
    const headings = await page.locator('main h2, main h3').allTextContents();
    assert.ok(!headings.some((t) => t.includes("Compte rendu d'entretien")), `headings: ${headings}`);
    assert.ok(!headings.some((t) => t.includes('Projet de décision')), `headings: ${headings}`);
    const main = await text(page, 'main');
    assert.doesNotMatch(main, /D'être arrêtée|Oui, par écrit|talibans|convention de Genève/);
    await h.check(page, 'case-secretary');
  });

  step('the language switch keeps the agent on the page they were reading', async () => {
    await submit(page, page.locator('header a[href="/lang?lang=en"]'));
    assert.equal(path(page), caseUrl);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await text(page, '#identity-h'), 'Identity and family');
    assert.equal(await status(page), 'Signed');
    assert.equal(await text(page, 'header form[action="/logout"] button'), 'Sign out');
    await h.check(page, 'case-secretary-en');
    await submit(page, page.locator('header a[href="/lang?lang=fr"]'));
    assert.equal(path(page), caseUrl);
    assert.equal(await text(page, '#identity-h'), 'Identité et famille');
    await h.check(page, 'case-secretary-fr-again');
  });

  step('after sign-out, the case URL leads to the sign-in page, even with the old session cookie', async () => {
    const oldCookies = await context.cookies();
    await signOut(page);
    await open(page, caseUrl);
    assert.equal(path(page), '/login');
    await h.check(page, 'signed-out');

    // The session is ended on the server, not only forgotten by the browser.
    const other = await h.agentBrowser();
    try {
      await other.context.addCookies(oldCookies);
      const replayed = await open(other.page, caseUrl);
      assert.equal(path(other.page), '/login', 'the old session cookie no longer opens the case');
      assert.equal(replayed.status(), 200);
    } finally {
      await other.context.close();
    }
  });
});

describe('seen as a new user would', () => {
  const step = story();
  let page;
  let context;

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step("an unknown address is a page in the reader's language with a way back", async () => {
    let response = await open(page, '/nope');
    assert.equal(response.status(), 404);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await text(page, 'h1'), 'Introuvable');
    assert.match(await text(page, '[role=alert]'), /n'existe pas/);
    assert.equal(await page.locator('main a[href="/"]').count(), 1, 'a way back');
    await h.check(page, 'not-found');

    response = await open(page, '/portal/nope');
    assert.equal(response.status(), 404);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await page.locator('main a[href="/portal"]').count(), 1, "a way back to the applicant's space");
    await h.check(page, 'portal-not-found');
  });

  step('an overdue decision deadline says so in words, on the case page and in the queue', async () => {
    await signIn(page, 'sec.martin');
    // An application introduced eight months ago: its six months have run out.
    const introduced = new Date(Date.now() - 240 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    await open(page, '/cases/new');
    await page.selectOption('#kind', 'asylum');
    await page.selectOption('#procedure', 'normal');
    await page.selectOption('#nationality', 'GIN');
    await page.fill('#language', 'fr');
    await page.fill('#family_latin', 'Diallo');
    await page.fill('#given_latin', 'Alpha Oumar');
    await page.fill('#family_original', 'Diallo');
    await page.fill('#given_original', 'Alpha Oumar');
    await page.fill('#birth_date', '1990-01-01');
    await page.fill('#introduced_on', introduced);
    await page.check('input[name=sex][value=male]');
    for (const box of await page.locator('#checklist input[name=present]').all()) await box.check();
    await page.fill('#missing', '');
    const response = await submit(page, page.getByRole('button', { name: 'Enregistrer une demande' }));
    assert.equal(response.status(), 200);
    const decision = page.locator('[data-deadline=decision]');
    assert.equal(await decision.locator('.fr-badge').count(), 1, 'a marker next to the date');
    assert.equal(await text(page, '[data-deadline=decision] .fr-badge'), 'Dépassé');
    const explained = await text(page, '[data-deadline=decision] small');
    assert.match(explained, /^6 mois à compter de l'introduction le \d{1,2}(er)? \S+ \d{4} \(procédure normale\)/);
    assert.doesNotMatch(explained, / from | months | on \d/);
    // A name written in Latin script is not shown twice.
    assert.equal(await text(page, '#identity-h + dl dd:first-of-type'), 'Diallo');
    await h.check(page, 'case-overdue');
    await signOut(page);
  });

  step('the division queue marks overdue deadlines and keeps case numbers on one line', async () => {
    await signIn(page, 'cs.fontaine');
    assert.equal(new URL(page.url()).searchParams.get('view'), 'division');
    const rows = page.locator('main table').last().locator('tbody tr');
    assert.ok((await rows.count()) > 0, 'the queue lists cases');
    // The most urgent first: the first row's deadline, if passed, says so.
    const first = await rows.first().locator('td').last().textContent();
    const due = first.match(/\d{4}-\d{2}-\d{2}/)?.[0];
    if (due && due < today()) assert.match(first, /Dépassé/);
    for (const cell of await rows.locator('td:first-child a').all()) {
      const box = await cell.boundingBox();
      assert.ok(box && box.height < 30, `a case number on one line (${box?.height} px)`);
    }
    await page.setViewportSize({ width: 320, height: 900 });
    const region = page.locator('main .fr-table[role=region]').first();
    assert.equal(await region.getAttribute('tabindex'), '0', 'the scrolling table can take the focus');
    await h.check(page, 'division-queue-phone');
    await open(page, '/cases?view=unassigned');
    await h.check(page, 'to-assign-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut(page);
  });
});
