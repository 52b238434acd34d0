// staff.test.mjs — a leader's unit page in a real browser, in Bokmål: from my
// page to the unit, a registration with a mistyped identity number coming
// back with the message at the field, then the staff member registered and
// cleared to create logs; all without JavaScript on our pages.
import { randomInt } from 'node:crypto';
import { logIn, syntheticNin } from './helpers.mjs';

export const tests = [
	{
		name: 'a leader registers a staff member and clears them (Bokmål)',
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Sindre Åsheim']);
			await page.getByRole('link', { name: 'Fjordvik skole' }).click();
			expect.match(await page.textContent('h1'), /Fjordvik skole/, 'the unit page');
			expect.match(await page.textContent('main'), /Oversikt over loggene/, 'the flow');
			const given = 'Nyansatt';
			const family = `Nettleser-${randomInt(100000, 999999)}`;
			const name = `${given} ${family}`;

			await page.getByLabel('Fornavn').fill(given);
			await page.getByLabel('Etternavn').fill(family);
			await page.getByLabel('Fødselsnummer', { exact: true }).fill('12345678901');
			await page.getByLabel('Stilling').fill('Lærer');
			await page.getByLabel('E-post').fill('nyansatt@fjordvik.example');
			await page.getByRole('button', { name: 'Registrer', exact: true }).click();
			expect.match(await page.textContent('#nin-error'), /Fødselsnummeret er ikke gyldig/, 'message at the field');
			expect.equal(await page.getAttribute('#nin', 'aria-invalid'), 'true', 'aria-invalid');
			expect.equal(await page.getAttribute('#nin', 'aria-describedby'), 'nin-hint nin-error', 'described by');
			expect.equal(await page.inputValue('#given_name'), given, 'typed name kept');

			await page.getByLabel('Fødselsnummer', { exact: true }).fill(syntheticNin());
			await page.getByRole('button', { name: 'Registrer', exact: true }).click();
			const row = page.getByRole('row', { name: new RegExp(name) });
			expect.match(await row.textContent(), /registrert, aldri logget inn/, 'never logged in');
			expect.match(await row.textContent(), /Nei, ikke godkjent/, 'not cleared yet');

			await page.getByRole('button', { name: `Godkjenn – ${name}` }).click();
			const after = page.getByRole('row', { name: new RegExp(name) });
			expect.match(await after.textContent(), /Ja, godkjent/, 'cleared');
			expect.ok(await page.getByRole('button', { name: `Trekk tilbake godkjenningen – ${name}` }).isVisible(),
				'the button now withdraws');
		},
	},
];
