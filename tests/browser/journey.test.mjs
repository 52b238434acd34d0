// journey.test.mjs — one log's whole life in a real browser (issue 4), in
// Bokmål, checking what each role sees at each step: a kindergarten teacher
// creates it for a child with two new guardians; one guardian's consent is
// recorded on paper, the other gives hers logged in, and the draft becomes
// active; a concern, a goal and a measure with an actor of PPT responsible;
// the actor evaluates it; the guardian reads it, also in plain words on a
// phone; passive, active again, closed.
import { randomInt } from 'node:crypto';
import { asPerson, logIn, syntheticNin } from './helpers.mjs';

const today = new Date().toISOString().slice(0, 10);

async function noAccess(page, baseUrl, logId, expect, who) {
	await page.goto(`${baseUrl}/logg/${logId}`);
	expect.match(await page.textContent('h1'), /Ingen tilgang/, `${who} sees nothing of the log`);
}

export const tests = [
	{
		name: 'create → consent by two guardians → concern → goal → measure → evaluation → passive → active → closed',
		fn: async ({ page, baseUrl, expect, people }) => {
			page.setDefaultTimeout(15000);
			const family = `Reise-${randomInt(100000, 999999)}`;
			const mother = syntheticNin(), father = syntheticNin();

			// The holder creates the log.
			await logIn(page, baseUrl, people['Marte Haugland']);
			await page.getByRole('link', { name: 'Opprett en logg' }).click();
			await page.fill('#subject_given_name', 'Liv');
			await page.fill('#subject_family_name', family);
			await page.fill('#subject_nin', syntheticNin(2019, 2021)); // a child of five to seven
			await page.fill('#g1_given_name', 'Mona');
			await page.fill('#g1_family_name', family);
			await page.fill('#g1_nin', mother);
			await page.fill('#g2_given_name', 'Tor');
			await page.fill('#g2_family_name', family);
			await page.fill('#g2_nin', father);
			await page.getByRole('button', { name: 'Opprett loggen' }).click();
			expect.match(await page.textContent('h1'), new RegExp(`Liv ${family}`), 'the new log');
			const logId = new URL(page.url()).pathname.split('/')[2];
			expect.match(logId, /^\d+$/, 'at the log');
			expect.match(await page.textContent('main'), /Utkast/, 'a draft');

			// Before consent: the PPT adviser and the unit's leader see nothing.
			const nils = await asPerson(page, baseUrl, people['Nils Dahle']);
			await noAccess(nils, baseUrl, logId, expect, 'the actor before consent');
			const leader = await asPerson(page, baseUrl, people['Torbjørn Vik']);
			await noAccess(leader, baseUrl, logId, expect, 'the leader');
			await leader.context().close();

			// The holder records Mona's signed forms: to establish, and to cooperate with PPT.
			await page.getByRole('link', { name: 'Se og håndter samtykke' }).click();
			for (const kind of ['Samtykke til å opprette stafettloggen', 'Samtykke til samarbeid og informasjonsdeling']) {
				const paper = page.locator('form[action$="/samtykke/papir"]');
				await paper.getByLabel('Gitt av').selectOption({ label: `Mona ${family}` });
				await paper.getByRole('radio', { name: kind }).check();
				await paper.getByLabel('Dato gitt').fill(today);
				if (kind.startsWith('Samtykke til samarbeid')) await paper.getByLabel(/PPT Fjordvik/).check();
				await paper.getByLabel('Det skannede, signerte skjemaet')
					.setInputFiles({ name: 'skjema.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\nstartxref\n9\n%%EOF\n') });
				await paper.getByRole('button', { name: 'Registrer samtykket' }).click();
			}
			expect.match(await page.textContent('p.lead'), /: Utkast$/, 'still a draft: Tor has not consented');

			// Tor logs in with his own number and consents himself.
			const tor = await asPerson(page, baseUrl, father);
			await tor.getByRole('link', { name: `Liv ${family}` }).first().click();
			expect.equal(await tor.getByRole('link', { name: 'Rediger loggen og bekymringene' }).count(), 0, 'a guardian does not edit');
			await tor.getByRole('link', { name: 'Se og håndter samtykke' }).click();
			// Step 1, to establish the log; then step 2, to cooperation with PPT.
			await tor.getByRole('button', { name: 'Jeg samtykker til at stafettloggen blir opprettet' }).click();
			await tor.locator('#consent-step-2').getByLabel(/PPT Fjordvik/).check();
			await tor.getByRole('button', { name: 'Jeg samtykker til samarbeid med tjenestene jeg har valgt' }).click();
			expect.match(await tor.textContent('p.lead'), /: Aktiv$/, 'both consented: the log is active');

			// The holder writes a concern, a goal and a measure with Nils responsible.
			await page.goto(`${baseUrl}/logg/${logId}`);
			await page.getByRole('link', { name: 'Rediger loggen og bekymringene' }).click();
			await page.fill('#title-new', 'Språket kommer sakte');
			await page.locator('#concern-new').getByLabel('Språk og kommunikasjon').check();
			await page.getByRole('button', { name: 'Legg til bekymringen' }).click();
			await page.goto(`${baseUrl}/logg/${logId}`);
			const goal = page.locator('form.new-goal').first();
			await goal.locator('textarea').fill('Liv bruker flere ord i lek');
			await goal.getByRole('button', { name: 'Legg til mål' }).click();
			const goalId = new URL(page.url()).hash.replace('#mal-', '');
			await page.locator(`#mal-${goalId}`).getByRole('link', { name: 'Endre målet eller legg til tiltak' }).click();
			await page.fill('#description', 'Språkgruppe med PPT to ganger i uka');
			const nilsValue = await page.locator('#responsible option', { hasText: 'Nils Dahle' }).first().getAttribute('value');
			await page.selectOption('#responsible', nilsValue);
			await page.fill('#start_date', today);
			await page.fill('#evaluation_date', today);
			await page.selectOption('#status', 'ongoing');
			await page.getByRole('button', { name: 'Legg til tiltak' }).click();
			const measureId = new URL(page.url()).hash.replace('#tiltak-', '');
			expect.match(await page.textContent(`#tiltak-${measureId}`), /Nils Dahle/, 'the responsible actor');

			// Nils now sees the log (consent covers PPT), and evaluates his measure.
			await nils.goto(`${baseUrl}/logg/${logId}`);
			expect.match(await nils.textContent('h1'), new RegExp(`Liv ${family}`), 'the actor reads the log');
			expect.equal(await nils.getByRole('link', { name: 'Rediger loggen og bekymringene' }).count(), 0, 'an actor does not edit');
			await nils.goto(`${baseUrl}/min-side`);
			await nils.locator('.my-measures a', { hasText: 'Språkgruppe med PPT' }).first().click();
			await nils.getByLabel('Delvis nådd').check();
			await nils.fill('#eval-text', 'Flere ord allerede');
			await nils.getByRole('button', { name: 'Lagre evaluering' }).click();
			expect.match(await nils.textContent(`#tiltak-${measureId}`), /Delvis nådd/, 'the evaluation');

			// The guardian reads it all, and who has read the log.
			await tor.goto(`${baseUrl}/logg/${logId}`);
			expect.match(await tor.textContent('main'), /Delvis nådd/, 'the guardian sees the evaluation');
			await tor.getByRole('link', { name: 'Se hvem som har lest loggen' }).click();
			expect.match(await tor.textContent('ul.readers'), /Nils Dahle/, 'the actor is among the readers');
			// And the log in plain words, on a phone.
			await tor.setViewportSize({ width: 360, height: 740 });
			await tor.goto(`${baseUrl}/logg/${logId}`);
			await tor.getByRole('link', { name: 'Les loggen med enkle ord' }).click();
			const plain = await tor.textContent('main');
			expect.match(plain, /Nils Dahle \(PPT Fjordvik\) gjør dette:/, 'who does what, in plain words');
			expect.match(plain, /Det hjalp et stykke på vei\./, 'how it went, in plain words');
			expect.match(plain, /Språket kommer sakte/, 'the concern');
			expect.equal(await tor.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true,
				'the plain version fits a phone without sideways scrolling');
			await tor.setViewportSize({ width: 1280, height: 800 });

			// Passive and closed: the choice and why, then a page of its own to
			// confirm; active again is one button. Each says what was done.
			for (const [choice, state, said] of [['Gjør loggen passiv', 'Passiv', 'Loggen er nå passiv.'],
				['Gjør loggen aktiv igjen', 'Aktiv', 'Loggen er aktiv igjen.'], ['Avslutt loggen', 'Avsluttet', 'Loggen er avsluttet.']]) {
				await page.goto(`${baseUrl}/logg/${logId}/status`);
				if (state === 'Aktiv') {
					await page.getByRole('button', { name: choice }).click();
				} else {
					await page.getByRole('radio', { name: choice }).check();
					await page.getByLabel('Hvorfor?').fill('Avtalt i møtet med foreldrene');
					await page.getByRole('button', { name: 'Fortsett' }).click();
					expect.match(await page.textContent('main'), /Avtalt i møtet med foreldrene/, 'the reason on the confirmation');
					await page.getByRole('button', { name: 'Bekreft' }).click();
				}
				expect.match(await page.textContent('.ds-alert[data-color="success"][role="status"]'), new RegExp(said), `told after "${choice}"`);
				// The log page, which every reader has (a closed log's state page is not).
				await page.goto(`${baseUrl}/logg/${logId}`);
				expect.match(await page.textContent('dl.facts'), new RegExp(state), `the state after "${choice}"`);
			}
			expect.equal(await page.getByRole('link', { name: 'Rediger loggen og bekymringene' }).count(), 0, 'a closed log is read-only');
			await tor.goto(`${baseUrl}/logg/${logId}`);
			expect.match(await tor.textContent('main'), /Avsluttet/, 'the guardian sees it closed');
			await nils.context().close();
			await tor.context().close();
		},
	},
];
