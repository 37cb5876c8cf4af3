/* lsp_flags.c - clangd's way of finding a file's compilation database, `.clangd`
 * included, with the databases kept between requests. */
#include "lsp/lsp_flags.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

typedef struct {
  char *dir;
  struct timespec mtime;
  lx_cmds cmds;
} loaded_db;

struct lx_lsp_flags {
  LX_VEC(loaded_db) dbs;
};

lx_lsp_flags *lx_lsp_flags_new(void) { return lx_xcalloc(1, sizeof(lx_lsp_flags)); }

void lx_lsp_flags_free(lx_lsp_flags *fl)
{
  if (!fl)
    return;
  for (size_t i = 0; i < fl->dbs.n; i++) {
    free(fl->dbs.v[i].dir);
    lx_cmds_free(&fl->dbs.v[i].cmds);
  }
  lx_vec_free(&fl->dbs);
  free(fl);
}

static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
  if (!map || map->type != YAML_MAPPING_NODE)
    return NULL;
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(doc, p->key);
    if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
      return yaml_document_get_node(doc, p->value);
  }
  return NULL;
}

/* The CompilationDatabase value of the .clangd file at path, or NULL. */
static char *clangd_file_setting(const char *path)
{
  size_t len;
  char *text = lx_read_file(path, &len);
  if (!text)
    return NULL;
  yaml_parser_t parser;
  char *found = NULL;
  if (!yaml_parser_initialize(&parser)) {
    free(text);
    return NULL;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  for (;;) {
    yaml_document_t doc;
    if (!yaml_parser_load(&parser, &doc))
      break;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) {
      yaml_document_delete(&doc);
      break;
    }
    yaml_node_t *v = map_get(&doc, map_get(&doc, root, "CompileFlags"), "CompilationDatabase");
    if (!found && !map_get(&doc, root, "If") && v && v->type == YAML_SCALAR_NODE)
      found = lx_xstrdup((const char *)v->data.scalar.value);
    yaml_document_delete(&doc);
  }
  yaml_parser_delete(&parser);
  free(text);
  return found;
}

char *lx_clangd_compdb_setting(const char *file)
{
  char dir[PATH_MAX];
  snprintf(dir, sizeof(dir), "%s", file);
  for (char *slash = strrchr(dir, '/'); slash; slash = strrchr(dir, '/')) {
    *slash = '\0';
    char path[PATH_MAX + 16];
    snprintf(path, sizeof(path), "%s/.clangd", dir);
    char *v = clangd_file_setting(path);
    if (!v)
      continue;
    if (!strcmp(v, "Ancestors")) {
      free(v);
      return NULL;
    }
    if (!strcmp(v, "None")) {
      v[0] = '\0';
      return v;
    }
    if (v[0] != '/') {
      char abs[2 * PATH_MAX + 2];
      snprintf(abs, sizeof(abs), "%s/%s", dir[0] ? dir : "", v);
      free(v);
      return lx_xstrdup(abs);
    }
    return v;
  }
  return NULL;
}

static int same_time(struct timespec a, struct timespec b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; }

/* The commands of dir's compile_commands.json, read once and again when it changes. */
static const lx_cmds *database(lx_lsp_flags *fl, const char *dir, char *err, size_t errlen)
{
  char path[PATH_MAX + 32];
  snprintf(path, sizeof(path), "%s/compile_commands.json", dir);
  struct stat st;
  if (stat(path, &st) != 0)
    return NULL;
  loaded_db *d = NULL;
  for (size_t i = 0; i < fl->dbs.n && !d; i++)
    if (!strcmp(fl->dbs.v[i].dir, dir))
      d = &fl->dbs.v[i];
  if (d && same_time(d->mtime, st.st_mtim))
    return &d->cmds;
  if (!d) {
    loaded_db fresh = {lx_xstrdup(dir), {0, 0}, {0}};
    lx_vec_push(&fl->dbs, fresh);
    d = &fl->dbs.v[fl->dbs.n - 1];
  }
  lx_cmds_free(&d->cmds);
  d->mtime = st.st_mtim;
  if (lx_compdb_load(dir, &d->cmds, err, errlen) < 0) {
    d->mtime = (struct timespec){0, 0};
    return NULL;
  }
  return &d->cmds;
}

int lx_lsp_flags_for(lx_lsp_flags *fl, const char *file, lx_cmd *out, char *err, size_t errlen)
{
  err[0] = '\0';
  char *dir = lx_clangd_compdb_setting(file);
  if (!dir)
    dir = lx_compdb_discover(file);
  const lx_cmds *db = dir && dir[0] ? database(fl, dir, err, errlen) : NULL;
  free(dir);
  lx_compdb_lookup(db, file, out);
  return err[0] ? -1 : 0;
}
