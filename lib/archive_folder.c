/* archive_folder.c — the 'folder' archive channel of archive_channel.h
 * (the folder drop), and archive_channel_find, the one place a channel is
 * chosen. Touches only the municipality's folder, by names of its own. */
#include "archive_channel.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "archive.h"
#include "crypto.h"
#include "log.h"

#define ACK_NS "urn:stafett:arkiv:kvittering:1"
#define ACK_MAX 65536

/* What an errno means for the operator, as a fixed reason. */
static const char *reason_of(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
	case EROFS:
		return ARCHIVE_FOLDER_DENIED;
	case ENOSPC:
	case EDQUOT:
		return ARCHIVE_DISK_FULL;
	case ENOENT:
	case ENOTDIR:
		return ARCHIVE_FOLDER_MISSING;
	default:
		return ARCHIVE_WRITE_FAILED;
	}
}

static const char *open_folder(const char *folder, int *dirfd)
{
	if (!folder || folder[0] != '/')
		return ARCHIVE_FOLDER_MISSING;
	*dirfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return *dirfd < 0 ? reason_of(errno) : NULL;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : (errno = EIO, -1);
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* FINAL in the folder, atomically: a temporary dot file created O_EXCL
 * mode 0600, written, fsynced and renamed over FINAL, then the folder
 * fsynced. NULL, or a fixed reason with the temporary file gone. */
static const char *write_atomic(int dirfd, const char *final, const void *data, size_t len)
{
	char *rnd = crypto_random_hex(8);
	if (!rnd)
		return ARCHIVE_WRITE_FAILED;
	const char *tmp = arena_printf(".%s.%s.tmp", final, rnd);
	int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return reason_of(errno);
	int err = 0;
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0)
		err = errno;
	if (close(fd) < 0 && !err)
		err = errno;
	if (!err && renameat(dirfd, tmp, dirfd, final) < 0)
		err = errno;
	if (err) {
		unlinkat(dirfd, tmp, 0);
		return reason_of(err);
	}
	if (fsync(dirfd) < 0)
		return reason_of(errno);
	return NULL;
}

/* The file's bytes (at most max), in the arena; NULL with errno. */
static char *read_at(int dirfd, const char *name, size_t max, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	char *data = arena_alloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return data;
}

/* Takes the record's files away again (a delivery that failed half-way). */
static void remove_copy(int dirfd, const char *pdf, const char *xml)
{
	unlinkat(dirfd, xml, 0);
	unlinkat(dirfd, pdf, 0);
	fsync(dirfd);
}

static const char *folder_deliver(const char *folder, const struct archive_copy *c)
{
	int dirfd;
	const char *reason = open_folder(folder, &dirfd);
	if (reason)
		return reason;
	const char *pdf = arena_printf("%s.pdf", c->name), *xml = arena_printf("%s.xml", c->name);
	const char *ack = arena_printf("%s.kvittering.xml", c->name);
	/* An answer to an earlier delivery of this record is not the answer to
	 * this one. */
	if (unlinkat(dirfd, ack, 0) < 0 && errno != ENOENT) {
		reason = reason_of(errno);
		goto out;
	}
	if ((reason = write_atomic(dirfd, pdf, c->pdf, c->pdf_len)))
		goto out;
	/* The PDF read back from the folder is the one whose checksum is
	 * recorded (SECURITY.md R9). */
	size_t len = 0;
	char *back = read_at(dirfd, pdf, c->pdf_len, &len);
	unsigned char sha[32];
	if (back)
		crypto_sha256(back, len, sha);
	if (!back || len != c->pdf_len || !crypto_equal(sha, c->pdf_sha256, sizeof sha)) {
		log_error("archive: %s read back differs from what was written", pdf);
		reason = ARCHIVE_WRITE_FAILED;
		remove_copy(dirfd, pdf, xml);
		goto out;
	}
	if ((reason = write_atomic(dirfd, xml, c->xml, c->xml_len)))
		remove_copy(dirfd, pdf, xml);
out:
	close(dirfd);
	return reason;
}

/* The text of the only child element NAME of node (in the namespace), or NULL. */
static const char *child_text(xmlNodePtr node, const char *name)
{
	const char *found = NULL;
	for (xmlNodePtr n = node->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
			continue;
		if (found || !n->ns || strcmp((const char *)n->ns->href, ACK_NS) != 0)
			return NULL;
		xmlChar *t = xmlNodeGetContent(n);
		found = arena_strdup(t ? (const char *)t : "");
		xmlFree(t);
	}
	return found;
}

static int folder_acknowledgement(const char *folder, const char *name, const unsigned char sha256[32],
				  struct archive_ack *ack, const char **reason)
{
	int dirfd;
	if ((*reason = open_folder(folder, &dirfd)))
		return -1;
	size_t len = 0;
	char *text = read_at(dirfd, arena_printf("%s.kvittering.xml", name), ACK_MAX, &len);
	int err = errno;
	close(dirfd);
	if (!text) {
		if (err == ENOENT)
			return 0;
		*reason = err == EFBIG ? ARCHIVE_ACK_UNREADABLE : reason_of(err);
		return -1;
	}
	*reason = ARCHIVE_ACK_UNREADABLE;
	/* No network, no entities substituted, no DTD loaded; a document with
	 * a DTD of its own is refused below. */
	xmlDocPtr doc = xmlReadMemory(text, (int)len, "kvittering.xml", "UTF-8",
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return -1;
	int rc = -1;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (doc->intSubset || !root || strcmp((const char *)root->name, "kvittering") != 0 || !root->ns ||
	    strcmp((const char *)root->ns->href, ACK_NS) != 0)
		goto out;
	const char *who = child_text(root, "navn"), *status = child_text(root, "status");
	const char *ref = child_text(root, "arkivreferanse"), *sum = child_text(root, "sjekksum");
	if (!who || strcmp(who, name) != 0 || !status || !sum)
		goto out;
	/* An answer about another copy of the record than the one delivered. */
	if (strcasecmp(sum, crypto_hex(sha256, 32)) != 0)
		goto out;
	if (strcmp(status, "avvist") == 0) {
		ack->accepted = false;
		ack->reference[0] = '\0';
		rc = 1;
	} else if (strcmp(status, "arkivert") == 0 && ref && *ref && strlen(ref) < sizeof ack->reference) {
		for (const char *p = ref; *p; p++)
			if (*p < 0x20 || *p > 0x7e)
				goto out;
		ack->accepted = true;
		memcpy(ack->reference, ref, strlen(ref) + 1);
		rc = 1;
	}
out:
	xmlFreeDoc(doc);
	if (rc == 1)
		*reason = NULL;
	return rc;
}

static const struct archive_channel channels[] = {
	{ "folder", folder_deliver, folder_acknowledgement },
};

const struct archive_channel *archive_channel_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof channels / sizeof channels[0]; i++)
		if (strcmp(channels[i].name, name) == 0)
			return &channels[i];
	return NULL;
}
