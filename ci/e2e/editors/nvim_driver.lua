-- Runs after a README Neovim snippet was loaded as init.lua (editor_snippets.sh): opens
-- FIXTURE as a C buffer and waits until clangd and leash, as the snippet attached them,
-- both publish diagnostics, leash's with the http-call-without-timeout code.
local function fail(code, msg)
  io.stderr:write('nvim snippet: FAIL: ' .. msg .. '\n')
  vim.cmd('cquit ' .. code)
end
vim.defer_fn(function() fail(9, 'no diagnostics after 90 s') end, 90000)
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('FIXTURE')))
local buf = vim.api.nvim_get_current_buf()
-- FileType runs the snippet's autocommand: an error in it fails the test at once.
local set, err = pcall(function() vim.bo[buf].filetype = 'c' end)
if not set then return fail(2, 'the snippet failed: ' .. tostring(err)) end
local function by(name)
  for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
    if c.name == name then return vim.diagnostic.get(buf, {namespace = vim.lsp.diagnostic.get_namespace(c.id)}) end
  end
  return {}
end
local ok = vim.wait(60000, function()
  local found = false
  for _, d in ipairs(by('leash')) do found = found or d.code == 'http-call-without-timeout' end
  return found and #by('clangd') > 0
end, 50)
if not ok then
  return fail(3, string.format('leash %d and clangd %d diagnostic(s); clients: %d', #by('leash'), #by('clangd'),
    #vim.tbl_keys(vim.lsp.buf_get_clients(buf))))
end
-- A second C buffer of the same project reuses the clients.
local n = #vim.lsp.get_active_clients()
vim.cmd('split ' .. vim.fn.fnameescape(os.getenv('FIXTURE2')))
vim.bo.filetype = 'c'
if #vim.lsp.get_active_clients() ~= n then return fail(4, 'a second buffer started new servers') end
io.stderr:write(string.format('nvim snippet: leash and clangd attached (%d clients), diagnostics arrived\n', n))
vim.lsp.stop_client(vim.lsp.get_active_clients())
vim.wait(2000, function() return vim.tbl_isempty(vim.lsp.get_active_clients()) end, 50)
vim.cmd('qa!')
