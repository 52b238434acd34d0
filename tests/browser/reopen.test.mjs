// reopen.test.mjs — reopening a closed log in a real browser (Bokmål),
// DOMAIN.md §3: the holder of Nora Kvamme's closed log asks to reopen it,
// with a reason; her guardian finds the question on the log's page and
// approves; the log is active again and the holder is told. The pages it
// passes (the closed log's page, the reopening page for both) are among the
// page states axe-core checks. No JavaScript.
import { asPerson, logIn } from './helpers.mjs';

export const tests = [
	{
		name: 'the holder asks to reopen a closed log, the guardian approves, it is active again',
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Hanne Lien']);
			await page.getByRole('link', { name: 'Nora Kvamme' }).first().click();
			const logPath = new URL(page.url()).pathname;
			await page.getByRole('link', { name: 'Åpne loggen igjen' }).click();
			expect.equal(new URL(page.url()).pathname, `${logPath}/gjenapne`, 'the reopening page');
			await page.getByLabel('Hvorfor bør loggen åpnes igjen?').fill('Nora trenger leksehjelp igjen etter flyttingen');
			await page.getByRole('button', { name: 'Spør om å åpne loggen igjen' }).click();
			await page.waitForURL(new RegExp(`${logPath}/gjenapne\\?lagret=gjenapning-spurt$`));
			expect.match(await page.textContent('#reopen-state'), /venter på svar/, 'asked, waiting for answers');
			expect.match(await page.textContent('#reopen-reason'), /leksehjelp/, 'her reason is shown');

			const tone = await asPerson(page, baseUrl, people['Tone Kvamme']);
			try {
				await tone.getByRole('link', { name: 'Nora Kvamme' }).first().click();
				await tone.getByRole('link', { name: 'Spørsmål om å åpne loggen igjen: se og svar' }).click();
				expect.match(await tone.textContent('#reopen-reason'), /leksehjelp/, 'the guardian reads why');
				await tone.getByRole('button', { name: 'Godkjenn at loggen åpnes igjen' }).click();
				await tone.waitForURL(new RegExp(`${logPath}\\?lagret=gjenapnet$`));
				expect.match(await tone.textContent('.ds-alert[data-color="success"][role="status"]'), /.+/, 'told what she did');
			} finally {
				await tone.context().close();
			}

			await page.goto(baseUrl + logPath + '/gjenapne');
			expect.match(await page.textContent('#reopen-state'), /Alle godkjente: loggen ble åpnet igjen/, 'the holder sees it reopened');
			await page.goto(baseUrl + logPath);
			expect.match(await page.textContent('main'), /Status\s*Aktiv/, 'the log is active again');
		},
	},
];
