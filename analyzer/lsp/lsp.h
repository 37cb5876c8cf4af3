/* lsp.h - `leash lsp`: a Language Server Protocol 3.17 server on stdio that editors
 * run beside clangd; it publishes leash's findings on open C buffers. */
#ifndef LX_LSP_H
#define LX_LSP_H

/* `leash lsp [--db FILE] [-v]`: serves on stdin/stdout until `exit` or the end of
 * input.  Returns the process exit code: 0 after shutdown then exit, 1 when the
 * client exits without shutdown or input ends first, 2 on a usage error. */
int lx_lsp_main(int argc, char **argv);

/* The server on the given descriptors (tests); db_path may be NULL (the findings
 * database is then searched as .leash/findings.db upwards from each file). */
int lx_lsp_serve(int in_fd, int out_fd, const char *db_path, int verbose);

#endif
