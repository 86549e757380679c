#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

/* Debian builds libxml2 with ICU, so its encoding.h would pull in the system's <unicode/*.h>, whose
 * UErrorCode clashes with Foundation's own ICU module. The gateway never touches libxml2's encoding handlers
 * (it only passes pointers to them around), so the ICU members are left out of the view Swift gets. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/c14n.h>
#include <string.h>

/// Swallows libxml2's error reports: the reader reads them from the context instead of stderr.
static void cfhir_silent_structured_error(void *userData, xmlErrorPtr error) {
    (void)userData;
    (void)error;
}

/// The first error libxml2 reports (later ones are often knock-on effects, e.g. "Premature end of data").
typedef struct {
    int seen;
    int code;
    int line;
    int column;
    char message[256];
} cfhir_first_error;

/// Records the first error into the cfhir_first_error that the context's _private points to.
static void cfhir_record_first_error(void *userData, xmlErrorPtr error) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)userData;
    if (ctxt == NULL || ctxt->_private == NULL || error == NULL) return;
    cfhir_first_error *first = (cfhir_first_error *)ctxt->_private;
    if (first->seen) return;
    first->seen = 1;
    first->code = error->code;
    first->line = error->line;
    first->column = error->int2;
    if (error->message != NULL) {
        strncpy(first->message, error->message, sizeof(first->message) - 1);
        first->message[sizeof(first->message) - 1] = 0;
    }
}

/// A parser context that records its first error into `first` and never prints.
static inline xmlParserCtxtPtr cfhir_new_recording_parser_context(cfhir_first_error *first) {
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt != NULL && ctxt->sax != NULL) {
        ctxt->sax->serror = cfhir_record_first_error;
        ctxt->sax->error = NULL;
        ctxt->sax->warning = NULL;
        ctxt->vctxt.error = NULL;
        ctxt->vctxt.warning = NULL;
        ctxt->_private = first;
    }
    return ctxt;
}

/// A parser context that never prints: errors stay in `xmlCtxtGetLastError`.
static inline xmlParserCtxtPtr cfhir_new_quiet_parser_context(void) {
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt != NULL && ctxt->sax != NULL) {
        ctxt->sax->serror = cfhir_silent_structured_error;
        ctxt->sax->error = NULL;
        ctxt->sax->warning = NULL;
        ctxt->vctxt.error = NULL;
        ctxt->vctxt.warning = NULL;
    }
    return ctxt;
}

/// The only parser options the gateway ever uses: no network, no entity substitution, no DTD loading,
/// no DTD attribute defaults, CDATA merged into text. Callers cannot loosen these.
static inline int cfhir_safe_parse_options(void) {
    return XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;
}

static inline void cfhir_free_string(xmlChar *s) { xmlFree(s); }

#endif
