/* noark.c — noark.h with libxml2's xmlTextWriter (it escapes each value);
 * control characters, which XML 1.0 cannot carry, are dropped first. */
#include "noark.h"

#include <libxml/xmlwriter.h>
#include <string.h>

#include "log.h"

#define NOARK_NS "urn:stafett:noark5:1"

/* The transition's kind as the archive reads it (Bokmål or Nynorsk). */
static const char *kind_word(const char *kind, const char *lang)
{
	static const struct {
		const char *kind, *nb, *nn;
	} words[] = {
		{ "handover", "Overlevert til ny stafettholder", "Overlevert til ny stafetthaldar" },
		{ "move", "Flyttet til en annen kommune", "Flytta til ein annan kommune" },
		{ "passive", "Satt passiv", "Sett passiv" },
		{ "closed", "Avsluttet", "Avslutta" },
		{ "withdrawn", "Samtykket trukket tilbake", "Samtykket trekt tilbake" },
		{ "reopened", "Gjenåpnet", "Opna att" },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(words[i].kind, kind) == 0)
			return strcmp(lang, "nn") == 0 ? words[i].nn : words[i].nb;
	return kind;
}

/* s without the control characters XML 1.0 cannot carry (arena copy). */
static const xmlChar *clean(const char *s)
{
	char *out = arena_strdup(s ? s : ""), *w = out;
	for (const char *p = out; *p; p++)
		if ((unsigned char)*p >= 0x20 || *p == '\t')
			*w++ = *p;
	*w = '\0';
	return (const xmlChar *)out;
}

struct writer {
	xmlTextWriterPtr w;
	int rc; /* the first failure, sticky */
};

static void start(struct writer *x, const char *name)
{
	if (x->rc >= 0)
		x->rc = xmlTextWriterStartElement(x->w, (const xmlChar *)name);
}

static void end(struct writer *x)
{
	if (x->rc >= 0)
		x->rc = xmlTextWriterEndElement(x->w);
}

static void element(struct writer *x, const char *name, const char *value)
{
	if (x->rc >= 0)
		x->rc = xmlTextWriterWriteElement(x->w, (const xmlChar *)name, clean(value));
}

static void attribute(struct writer *x, const char *name, const char *value)
{
	if (x->rc >= 0)
		x->rc = xmlTextWriterWriteAttribute(x->w, (const xmlChar *)name, clean(value));
}

static void external_key(struct writer *x, const char *key)
{
	start(x, "eksternNoekkel");
	element(x, "fagsystem", "Stafett");
	element(x, "noekkel", key);
	end(x);
}

static void screening(struct writer *x, const char *basis)
{
	start(x, "skjerming");
	element(x, "tilgangsrestriksjon", "13");
	element(x, "skjermingshjemmel", basis);
	element(x, "skjermingMetadata", "tittel");
	element(x, "skjermingDokument", "Hele dokumentet");
	end(x);
}

/* "YYYY-MM-DD HH:MM:SS.mmm" (UTC) as xs:dateTime. */
static const char *utc_time(const char *t)
{
	if (!t || strlen(t) < 19)
		return "1970-01-01T00:00:00Z";
	return arena_printf("%.10sT%sZ", t, t + 11);
}

int noark_record_xml(const struct noark_record *r, struct buf *out)
{
	xmlBufferPtr mem = xmlBufferCreate();
	struct writer x = { .w = mem ? xmlNewTextWriterMemory(mem, 0) : NULL };
	if (!x.w) {
		log_error("noark: libxml2 could not start a writer");
		if (mem)
			xmlBufferFree(mem);
		return -1;
	}
	xmlTextWriterSetIndent(x.w, 1);
	xmlTextWriterSetIndentString(x.w, (const xmlChar *)"  ");
	x.rc = xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL);
	const char *folder_title = arena_printf("Stafettlogg %lld", (long long)r->log_id);

	start(&x, "arkivlevering");
	attribute(&x, "xmlns", NOARK_NS);
	attribute(&x, "versjon", "1");
	start(&x, "mappe");
	external_key(&x, arena_printf("stafettlogg-%lld", (long long)r->log_id));
	element(&x, "tittel", folder_title);
	element(&x, "offentligTittel", folder_title);
	screening(&x, r->screening);

	start(&x, "registrering");
	external_key(&x, arena_printf("stafett-arkivpost-%lld", (long long)r->record_id));
	start(&x, "overgang");
	attribute(&x, "kode", r->kind);
	if (x.rc >= 0)
		x.rc = xmlTextWriterWriteString(x.w, clean(kind_word(r->kind, r->lang)));
	end(&x);
	element(&x, "tittel", r->public_title);
	element(&x, "offentligTittel", r->public_title);
	element(&x, "dokumentdato", r->document_date);
	element(&x, "opprettetDato", utc_time(r->created_at));
	element(&x, "opprettetAv", r->caused_by);
	start(&x, "kommune");
	attribute(&x, "kode", r->municipality_slug);
	if (x.rc >= 0)
		x.rc = xmlTextWriterWriteString(x.w, clean(r->municipality));
	end(&x);
	element(&x, "administrativEnhet", r->unit);
	screening(&x, r->screening);

	start(&x, "dokumentbeskrivelse");
	element(&x, "tilknyttetRegistreringSom", "Hoveddokument");
	element(&x, "tittel", r->public_title);
	element(&x, "dokumentmedium", "Elektronisk");
	element(&x, "spraak", r->lang);
	start(&x, "dokumentobjekt");
	element(&x, "versjonsnummer", "1");
	element(&x, "variantformat", "Arkivformat");
	element(&x, "format", r->pdfa ? "PDF/A-2b" : "PDF");
	element(&x, "referanseDokumentfil", r->pdf_name);
	element(&x, "sjekksum", r->pdf_sha256_hex);
	element(&x, "sjekksumAlgoritme", "SHA-256");
	element(&x, "filstoerrelse", arena_printf("%ld", r->pdf_size));
	end(&x); /* dokumentobjekt */
	end(&x); /* dokumentbeskrivelse */
	end(&x); /* registrering */
	end(&x); /* mappe */
	end(&x); /* arkivlevering */
	if (x.rc >= 0)
		x.rc = xmlTextWriterEndDocument(x.w);
	xmlFreeTextWriter(x.w);
	int rc = 0;
	if (x.rc < 0) {
		log_error("noark: libxml2 could not write the record's XML");
		rc = -1;
	} else {
		buf_add(out, xmlBufferContent(mem), (size_t)xmlBufferLength(mem));
	}
	xmlBufferFree(mem);
	return rc;
}
