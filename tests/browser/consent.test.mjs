// consent.test.mjs — consent in a real browser, in Bokmål, on the demo's
// draft log for Aksel Rønning: the holder records Maria Rønning's signed
// form (an HTML file dressed as a PDF comes back with the message at the
// field, then the real scan), Jon Rønning logs in and consents himself in
// two steps, each with its text and a receipt (to establish the log, which
// makes it active; then to cooperation with the kindergarten); without
// JavaScript on our pages, usable on a phone.
import { logIn } from './helpers.mjs';

const today = new Date().toISOString().slice(0, 10);

export const tests = [
	{
		name: 'two guardians consent, one on paper and one logged in, and the draft becomes active',
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Marte Haugland']);
			await page.getByRole('link', { name: 'Aksel Rønning' }).click();
			expect.match(await page.textContent('#consent-waiting'), /utkast/, 'the draft waits for consent');
			await page.getByRole('link', { name: 'Se og håndter samtykke' }).click();
			expect.match(await page.textContent('h1'), /Samtykke: Aksel Rønning/, 'the consent page');
			expect.match(await page.textContent('p.lead'), /: Utkast$/, 'a draft');
			await page.setViewportSize({ width: 360, height: 740 });
			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			expect.ok(width <= 360, `no horizontal scrolling (scrollWidth ${width})`);
			await page.setViewportSize({ width: 1280, height: 800 });

			const record = async (file) => {
				await page.getByLabel('Gitt av').selectOption({ label: 'Maria Rønning' });
				await page.getByRole('radio', { name: 'Samtykke til å opprette stafettloggen' }).check();
				await page.getByLabel('Dato gitt').fill(today);
				await page.getByLabel('Det skannede, signerte skjemaet').setInputFiles(file);
				await page.getByRole('button', { name: 'Registrer samtykket' }).click();
			};
			await record({ name: 'skjema.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><body>not a form</body></html>') });
			expect.match(await page.textContent('#paper-document-error'), /PDF/, 'message at the file field');
			expect.equal(await page.getAttribute('#paper-document', 'aria-invalid'), 'true', 'aria-invalid');
			expect.equal(await page.inputValue('#paper-given'), today, 'the date typed is kept');
			await record({ name: 'skjema.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\nstartxref\n9\n%%EOF\n') });
			const maria = page.getByRole('table', { name: /Maria Rønning/ });
			expect.match(await maria.textContent(), /Signert skjema, gitt/, 'recorded on paper');
			expect.ok(await maria.getByRole('link', { name: 'Det signerte skjemaet' }).isVisible(), 'the scan is linked');

			await logIn(page, baseUrl, people['Jon Rønning']);
			await page.getByRole('link', { name: 'Aksel Rønning' }).click();
			await page.getByRole('link', { name: 'Se og håndter samtykke' }).click();
			expect.equal(await page.getByRole('button', { name: 'Registrer samtykket' }).count(), 0, 'no paper form for a guardian');
			// Step 1: its own text, then its own button; step 2 is not there yet.
			const step1 = page.locator('#consent-step-1');
			expect.match(await step1.getByRole('heading', { level: 3 }).textContent(), /Steg 1 av 2: Samtykke til å opprette stafettloggen/, 'step 1 of 2');
			const text1 = await step1.textContent();
			expect.match(text1, /rundt barnet ditt, Aksel Rønning/, 'what the log is for, about his child');
			expect.match(text1, /Samtykket gjelder til \d{1,2}\. [a-zø]+ \d{4}/, 'until when, as a Norwegian date');
			expect.match(text1, /arkivert i kommunens arkiv, og så blir loggen slettet/, 'what withdrawing means');
			expect.match(text1, /Spør stafettholderen: Marte Haugland, Solsikken barnehage/, 'whom to ask');
			expect.equal(await page.locator('#consent-step-2').count(), 0, 'step 2 comes after step 1');
			await page.setViewportSize({ width: 390, height: 844 });
			const narrow = await page.evaluate(() => document.documentElement.scrollWidth);
			expect.ok(narrow <= 390, `the consent text fits a phone (scrollWidth ${narrow})`);
			await page.setViewportSize({ width: 1280, height: 800 });
			await page.getByRole('button', { name: 'Jeg samtykker til at stafettloggen blir opprettet' }).click();
			const receipt = page.getByRole('status').filter({ hasText: 'Du samtykket' });
			expect.match(await receipt.textContent(),
				/Du samtykket \d{1,2}\. [a-zø]+ \d{4} kl\. \d\d\.\d\d til at det blir opprettet en stafettlogg for Aksel Rønning\./,
				'a receipt with the Oslo time');
			expect.match(await page.textContent('p.lead'), /: Aktiv$/, 'the log is active');
			// Step 2: the services by name; he chooses the kindergarten.
			const step2 = page.locator('#consent-step-2');
			expect.match(await step2.getByRole('heading', { level: 3 }).textContent(), /Steg 2 av 2/, 'then step 2 of 2');
			await step2.getByRole('checkbox', { name: /^Solsikken barnehage/ }).check();
			await page.getByRole('button', { name: 'Jeg samtykker til samarbeid med tjenestene jeg har valgt' }).click();
			expect.match(await page.getByRole('status').filter({ hasText: 'Du samtykket' }).textContent(),
				/til samarbeid og deling av opplysninger med disse tjenestene: Solsikken barnehage\./, 'the receipt names the service');
			expect.ok(await page.getByRole('heading', { name: 'Du har gitt begge samtykkene' }).isVisible(), 'both steps done');
			const jon = page.getByRole('table', { name: /Jon Rønning/ });
			expect.match(await jon.textContent(), /Digitalt, innlogget/, 'given digitally');
			expect.ok(await page.getByRole('link', { name: /Trekk: Samtykke til å opprette stafettloggen/ }).isVisible(),
				'he may withdraw it');
			// The receipts are found again from his own page.
			await page.goto(baseUrl + '/min-side');
			await page.getByRole('link', { name: 'Samtykkene dine og kvitteringer' }).click();
			expect.equal(await page.getByRole('status').filter({ hasText: 'Du samtykket' }).count(), 0, 'no status message later');
			expect.equal(await page.locator('#kvitteringer li').filter({ hasText: 'Du samtykket' }).count(), 2, 'both receipts are there');
			await page.getByRole('link', { name: 'Tilbake til loggen' }).click();
			expect.match(await page.textContent('#consent-valid'), /Samtykke er gitt og gjelder til/, 'valid on the log page');
		},
	},
];
