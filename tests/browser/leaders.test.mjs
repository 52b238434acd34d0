// leaders.test.mjs — what administrators, holders and leaders do beyond the
// log itself, in a real browser in Bokmål and without JavaScript on our
// pages: the municipality's settings (a mistake at its field, then saved and
// said so), a log's guardians (one added, who has not consented yet, then
// removed with a reason), and the flow of a unit with its holders, passive
// days, overdue evaluations and expiring consents. Each journey leaves the
// demo data as it found it; pages.mjs checks every page it reaches.
import { randomInt } from 'node:crypto';
import { logIn, syntheticNin } from './helpers.mjs';

export const tests = [
	{
		name: "the administrator saves the municipality's settings (Bokmål)",
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Ingrid Solberg']);
			await page.goto(baseUrl + '/admin');
			await page.getByRole('link', { name: 'Kommunens innstillinger' }).click();
			expect.match(await page.textContent('h1'), /Kommunens innstillinger/, 'the settings page');
			expect.ok(await page.getByLabel('15 år').isChecked(), 'the consent age as stored');
			const kept = await page.inputValue('#retention_years');
			await page.getByLabel('År en avsluttet logg tas vare på').fill('');
			await page.getByRole('button', { name: 'Lagre innstillingene' }).click();
			expect.match(await page.textContent('#retention_years-error'), /Skriv hvor mange år/, 'message at the field');
			expect.equal(await page.getAttribute('#retention_years', 'aria-invalid'), 'true', 'aria-invalid');
			await page.getByLabel('År en avsluttet logg tas vare på').fill(kept);
			await page.getByRole('button', { name: 'Lagre innstillingene' }).click();
			expect.match(await page.textContent('main'), /Innstillingene er lagret\./, 'said what was saved');
			expect.equal(await page.inputValue('#retention_years'), kept, 'as it was');
		},
	},
	{
		name: 'a holder adds a guardian, who must consent, and removes them again (Bokmål)',
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Marte Haugland']);
			await page.getByRole('link', { name: 'Emma Fjelltun' }).first().click();
			await page.getByRole('link', { name: 'Legg til eller fjern foresatte' }).click();
			expect.match(await page.textContent('h1'), /Foresatte: Emma Fjelltun/, 'the guardians page');
			expect.match(await page.textContent('#add-consequence'), /har ikke samtykket ennå/, 'told before');
			const given = `Bonus-${randomInt(100000, 999999)}`;
			const name = `${given} Fjelltun`;

			await page.getByLabel('Fornavn').fill(given);
			await page.getByLabel('Etternavn').fill('Fjelltun');
			await page.getByLabel('Fødselsnummer', { exact: true }).fill('12345678901');
			await page.getByRole('button', { name: 'Legg til den foresatte' }).click();
			expect.match(await page.textContent('#nin-error'), /Fødselsnummeret er ikke gyldig/, 'message at the field');
			expect.equal(await page.inputValue('#given_name'), given, 'typed name kept');
			await page.getByLabel('Fødselsnummer', { exact: true }).fill(syntheticNin());
			await page.getByRole('button', { name: 'Legg til den foresatte' }).click();
			expect.match(await page.textContent('main'), /Foresatt er lagt til\./, 'said what was saved');
			expect.match(await page.textContent('#consent-waiting'), new RegExp(name), 'waiting for their consent');

			await page.getByText(`Fjern som foresatt – ${name}`).click();
			await page.getByRole('button', { name: `Fjern den foresatte – ${name}` }).click();
			expect.match(await page.textContent('main'), /Skriv hvorfor den foresatte fjernes\./, 'a reason is needed');
			await page.locator('details[open]').getByLabel('Hvorfor den foresatte fjernes').fill('Registrert ved en feil');
			await page.getByRole('button', { name: `Fjern den foresatte – ${name}` }).click();
			expect.match(await page.textContent('main'), /Den foresatte er fjernet\./, 'said what was removed');
			expect.ok(!(await page.textContent('main')).includes(name), 'no longer listed');
			expect.ok(await page.locator('#consent-complete').isVisible(), 'the consent complete again');
		},
	},
	{
		name: "a leader sees the unit's holders, passive days, overdue evaluations and expiring consents (Bokmål)",
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Sindre Åsheim']);
			await page.getByRole('link', { name: 'Fjordvik skole' }).click();
			const attention = await page.textContent('#flow-attention');
			expect.match(attention, /Dager passiv, lengst: 47/, 'the passive log, 47 days');
			expect.match(attention, /Evalueringer som har passert datoen: [1-9]/, 'an overdue evaluation');
			expect.match(attention, /Samtykker som snart går ut eller har gått ut: [1-9]/, 'a consent running out');
			const table = await page.textContent('#flow-logs');
			expect.match(table, /Hanne Lien/, 'the holder');
			expect.ok(!/Jonas|Sofie|Bergli|Lundegård/.test(table), 'never a child');
		},
	},
];
