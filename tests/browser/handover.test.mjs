// handover.test.mjs — handing a log over in a real browser (Bokmål), the
// kindergarten-to-school transition of DOMAIN.md §1: the kindergarten
// teacher offers Emma Fjelltun's log to the school and is told the consent
// does not cover it; both guardians widen their consent to the school; she
// offers it again, choosing to leave the log; the school's teacher finds
// the offer on her page, sees what she takes on (not the log's contents),
// accepts and holds the log; the guardian sees the new holder. The log is
// handed back at the end, since the journeys share one stack. No JavaScript.
import { asPerson, logIn } from './helpers.mjs';

// The guardian widens her standing consent to cooperation by one service.
async function widen(page, baseUrl, pid, logPath, service) {
	await logIn(page, baseUrl, pid);
	await page.goto(`${baseUrl}${logPath}/samtykke?steg=2`);
	const step2 = page.locator('#consent-step-2');
	await step2.getByRole('checkbox', { name: new RegExp(`^${service}`) }).check();
	await page.getByRole('button', { name: 'Jeg samtykker til samarbeid med tjenestene jeg har valgt' }).click();
	await page.getByRole('status').filter({ hasText: 'Du samtykket' }).waitFor();
}

// The holder on the log's handover page offers it to NAME, leaving the log.
async function offer(page, name) {
	await page.getByRole('link', { name: 'Overlever loggen' }).click();
	await page.locator('select#staff').selectOption({ label: name });
	await page.getByLabel('Jeg går ut av loggen og mister tilgangen til den').check();
	await page.getByRole('button', { name: 'Gi loggen videre' }).click();
}

// The receiver accepts the offer from their page.
async function accept(page, baseUrl, expect) {
	await page.goto(baseUrl + '/min-side');
	await page.locator('li.offer a').first().click();
	expect.match(await page.textContent('h1'), /Du får tilbud om en logg/, 'the offer page');
	await page.getByRole('button', { name: 'Ta imot og vær stafettholder' }).click();
}

export const tests = [
	{
		name: 'the kindergarten teacher hands the log to the school, the teacher accepts, the guardian sees her',
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Marte Haugland']);
			await page.getByRole('link', { name: 'Emma Fjelltun' }).first().click();
			const logPath = new URL(page.url()).pathname;
			await offer(page, 'Hanne Lien, Fjordvik skole (samtykket dekker ikke denne enheten)');
			expect.match(await page.textContent('#staff-error'), /samtykke/, 'told the consent does not cover the school');

			// Both guardians widen the consent to the school.
			const kari = await asPerson(page, baseUrl, people['Kari Fjelltun']);
			try {
				await widen(kari, baseUrl, people['Kari Fjelltun'], logPath, 'Fjordvik skole');
				await widen(kari, baseUrl, people['Per Fjelltun'], logPath, 'Fjordvik skole');
			} finally {
				await kari.context().close();
			}

			await page.goto(baseUrl + logPath);
			await offer(page, 'Hanne Lien, Fjordvik skole');
			expect.match(await page.textContent('#open-offer'), /Hanne Lien/, 'the open offer on the handover page');

			const hanne = await asPerson(page, baseUrl, people['Hanne Lien']);
			try {
				expect.match(await hanne.textContent('li.offer'), /Marte Haugland, Solsikken barnehage/, 'the offer on her page');
				await hanne.locator('li.offer a').first().click();
				const facts = await hanne.textContent('#offer-facts');
				expect.match(facts, /Emma Fjelltun/, 'whose log');
				expect.match(facts, /Tiltak som pågår/, 'what she takes on');
				expect.ok(!(await hanne.textContent('main')).includes('Bekymring'), 'not the contents before accepting');
				await hanne.getByRole('button', { name: 'Ta imot og vær stafettholder' }).click();
				await hanne.waitForURL(new RegExp(`${logPath}\\?lagret=overlevering-godtatt$`));
				expect.match(await hanne.textContent('.ds-alert[data-color="success"][role="status"]'), /.+/, 'told what she did');
				expect.match(await hanne.textContent('h1'), /Emma Fjelltun/, 'she holds the log and reads it');

				// The guardian sees the new holder.
				const kari2 = await asPerson(page, baseUrl, people['Kari Fjelltun']);
				try {
					await kari2.getByRole('link', { name: 'Emma Fjelltun' }).first().click();
					const summary = await kari2.textContent('main');
					expect.match(summary, /Stafettholder\s*Hanne Lien/, 'the new holder on the log page');
				} finally {
					await kari2.context().close();
				}

				// Marte left the log, as she chose: it is gone from her page.
				await page.goto(baseUrl + '/min-side');
				expect.equal(await page.getByRole('link', { name: 'Emma Fjelltun' }).count(), 0, 'the old holder lost access');

				// Handed back, so the journeys after this one find Emma's log with Marte.
				await hanne.goto(baseUrl + logPath);
				await offer(hanne, 'Marte Haugland, Solsikken barnehage');
				await accept(page, baseUrl, expect);
				await page.waitForURL(new RegExp(`${logPath}\\?lagret=overlevering-godtatt$`));
			} finally {
				await hanne.context().close();
			}
		},
	},
];
