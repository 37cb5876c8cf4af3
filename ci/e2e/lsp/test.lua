-- Headless Neovim (0.7+) attaches clangd and leash to one C buffer and checks that
-- both publish diagnostics, that leash's have the right line and code, and that the
-- timeout leash's code action inserts makes its finding disappear.
-- Run by ci/e2e/lsp_nvim.sh: LEASH (the binary) and FIXTURE (a copy of fetch.c).
local function fail(code, msg)
  io.stderr:write('lsp_nvim: FAIL: ' .. msg .. '\n')
  vim.cmd('cquit ' .. code)
end
local function say(msg) io.stderr:write('lsp_nvim: ' .. msg .. '\n') end

vim.defer_fn(function() fail(9, 'the test took longer than 90 s') end, 90000)

local leash, file = os.getenv('LEASH'), os.getenv('FIXTURE')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'c'
local root = vim.fn.fnamemodify(file, ':h')
local clangd = vim.lsp.start_client({name = 'clangd', cmd = {'clangd', '--log=error'}, root_dir = root})
local lsh = vim.lsp.start_client({name = 'leash', cmd = {leash, 'lsp'}, root_dir = root})
if not clangd or not lsh then return fail(2, 'could not start the servers') end
vim.lsp.buf_attach_client(buf, clangd)
vim.lsp.buf_attach_client(buf, lsh)
local ns_leash = vim.lsp.diagnostic.get_namespace(lsh)
local ns_clangd = vim.lsp.diagnostic.get_namespace(clangd)

local function perform_line()
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if l:find('curl_easy_perform', 1, true) then return i - 1 end
  end
end
local function leash_http()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf, {namespace = ns_leash})) do
    if d.code == 'http-call-without-timeout' then table.insert(out, d) end
  end
  return out
end

local ok = vim.wait(60000, function()
  return #leash_http() > 0 and #vim.diagnostic.get(buf, {namespace = ns_clangd}) > 0
end, 50)
if not ok then
  return fail(3, string.format('diagnostics did not arrive: leash %d, clangd %d',
    #vim.diagnostic.get(buf, {namespace = ns_leash}), #vim.diagnostic.get(buf, {namespace = ns_clangd})))
end
local d = leash_http()[1]
if #vim.diagnostic.get(buf, {namespace = ns_leash}) ~= 1 then return fail(4, 'leash published more than one diagnostic') end
if d.lnum ~= perform_line() then
  return fail(4, string.format('leash diagnostic on line %d, expected %d', d.lnum, perform_line()))
end
if d.source ~= 'leash' or d.severity ~= vim.diagnostic.severity.WARN then return fail(4, 'wrong source or severity') end
local cd = vim.diagnostic.get(buf, {namespace = ns_clangd})[1]
say(string.format('leash: line %d %s; clangd: line %d %s', d.lnum + 1, d.code, cd.lnum + 1, cd.message))

-- The code actions leash offers on that line: the timeout (preferred) and the suppression.
local params = {
  textDocument = {uri = vim.uri_from_bufnr(buf)},
  range = {start = {line = d.lnum, character = 0}, ['end'] = {line = d.lnum, character = 0}},
  context = {diagnostics = {d.user_data.lsp}},
}
local replies = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 20000)
local actions = (replies and replies[lsh] and replies[lsh].result) or {}
local fix, suppress
for _, a in ipairs(actions) do
  if a.isPreferred then fix = a end
  if a.title:find('leash:ignore', 1, true) then suppress = a end
end
if not fix or not suppress then return fail(5, 'leash offered ' .. #actions .. ' code action(s), not the fix and the suppression') end
say('code action: ' .. fix.title)
vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
local added = false
for _, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if l:find('CURLOPT_TIMEOUT_MS', 1, true) then added = true end
end
if not added then return fail(6, 'the fix did not insert CURLOPT_TIMEOUT_MS') end

-- The edit reaches leash as didChange (unsaved): its finding must go away, clangd's stay.
ok = vim.wait(60000, function() return #leash_http() == 0 end, 50)
if not ok then return fail(7, 'the finding is still there after the timeout was added') end
if #vim.diagnostic.get(buf, {namespace = ns_clangd}) == 0 then return fail(8, "clangd's diagnostics are gone") end
say('after the fix: no leash finding; clangd still reports ' .. #vim.diagnostic.get(buf, {namespace = ns_clangd}))
vim.lsp.stop_client({clangd, lsh})
vim.wait(2000, function() return vim.tbl_isempty(vim.lsp.get_active_clients()) end, 50)
say('ok')
vim.cmd('qa!')
