/* embedded.c - access to the texts the build embeds: rules/<id>.md and catalog.yaml. */
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"

extern const struct {
  const char *name;
  const char *text;
  size_t len;
} lx_embedded[];

static const char *find(const char *name, size_t *len)
{
  for (size_t i = 0; lx_embedded[i].name; i++)
    if (!strcmp(lx_embedded[i].name, name)) {
      if (len)
        *len = lx_embedded[i].len;
      return lx_embedded[i].text;
    }
  return NULL;
}

const char *lx_rule_doc(const char *id)
{
  char name[128];
  snprintf(name, sizeof(name), "%s.md", id);
  return find(name, NULL);
}

const char *lx_catalog_text(size_t *len)
{
  const char *t = find("catalog.yaml", len);
  if (!t)
    *len = 0;
  return t ? t : "";
}

static int rule_known(const char *id) { return lx_rule_find(id) != NULL; }

int lx_rules_config(lx_config **out, char *err, size_t errlen)
{
  lx_config *c = lx_config_new();
  c->rule_known = rule_known;
  *out = c;
  size_t len;
  const char *text = lx_catalog_text(&len);
  return lx_config_load_string(c, "rules/catalog.yaml", text, len, 0, err, errlen);
}
