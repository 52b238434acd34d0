// consent.test.mjs — consent in a real browser, in Bokmål, on the demo's
// draft log for Aksel Rønning: the holder records Maria Rønning's signed
// form (an HTML file dressed as a PDF comes back with the message at the
// field, then the real scan), Jon Rønning logs in and consents himself, and
// the log is active; without JavaScript on our pages, usable on a phone.
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
			await page.getByRole('radio', { name: 'Samtykke til å opprette stafettloggen' }).check();
			await page.getByRole('button', { name: 'Gi samtykke' }).click();
			const jon = page.getByRole('table', { name: /Jon Rønning/ });
			expect.match(await jon.textContent(), /Digitalt, innlogget/, 'given digitally');
			expect.match(await page.textContent('p.lead'), /: Aktiv$/, 'the log is active');
			expect.ok(await page.getByRole('link', { name: /Trekk: Samtykke til å opprette stafettloggen/ }).isVisible(),
				'he may withdraw it');
			await page.getByRole('link', { name: 'Tilbake til loggen' }).click();
			expect.match(await page.textContent('#consent-valid'), /Samtykke er gitt og gjelder til/, 'valid on the log page');
		},
	},
];
