#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/c14n.h>

/// Swallows libxml2's error reports: the reader reads them from the context instead of stderr.
static void cfhir_silent_structured_error(void *userData, xmlErrorPtr error) {
    (void)userData;
    (void)error;
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
