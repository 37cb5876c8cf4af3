/* docs.h - where leash's documentation is, for the links SARIF (helpUri,
 * informationUri) and the language server (codeDescription) give. */
#ifndef LX_DOCS_H
#define LX_DOCS_H

/* The page of rule `id` (malloc'd): with a homepage (the LEASH_HOMEPAGE build
 * setting), its rules/<id>.md (LEASH_RULE_DOCS_URL/<id>.md when that is set); else the
 * installed doc, <prefix>/share/doc/leash/rules/<id>.md beside the running leash, or
 * under the prefix it was built for; else the source tree's rules/<id>.md (a build
 * that is not installed).  A file:// URL for the last two. */
char *lx_rule_doc_url(const char *id);

/* The homepage (malloc'd): LEASH_HOMEPAGE, else the installed or the source tree's
 * README.md as a file:// URL, else NULL. */
char *lx_homepage_url(void);

#endif
