-- Drives Neovim's built-in LSP client against `argolint lsp`, as a user's config would,
-- and writes what it saw to $RESULT, one fact a line: the diagnostics received, the buffer
-- after the quick fix, the line after completing with the built-in omnifunc (<C-x><C-o>).
-- Written for Neovim 0.7+ (Debian's): vim.lsp.start_client and buf_attach_client.
local out = {}
local function log(...) table.insert(out, table.concat({ ... }, "\t")) end
local function finish()
  vim.fn.writefile(out, os.getenv("RESULT"))
  vim.cmd("qa!")
end
local function fail(message)
  log("FAIL", message)
  finish()
end

vim.opt.showmode = false
vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("MANIFEST")))
vim.bo.filetype = "yaml"
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = "argolint",
  cmd = { os.getenv("ARGOLINT_PYTHON"), "-m", "argolint", "lsp" },
  root_dir = os.getenv("ROOT"),
})
vim.lsp.buf_attach_client(bufnr, client_id)
vim.bo[bufnr].omnifunc = "v:lua.vim.lsp.omnifunc"

local function codes()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do table.insert(found, d.code or (d.user_data and d.user_data.lsp.code)) end
  table.sort(found)
  return table.concat(found, ",")
end

-- 1. diagnostics on open
if not vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50) then return fail("no diagnostics") end
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  log("diagnostic", d.lnum + 1, d.col + 1, d.code or d.user_data.lsp.code, d.message)
end

-- 2. the quick fix of the unknown-template diagnostic, applied as the client applies edits
local client = vim.lsp.get_client_by_id(client_id)
local target
for lnum = 0, vim.api.nvim_buf_line_count(bufnr) - 1 do
  for _, d in ipairs(vim.lsp.diagnostic.get_line_diagnostics(bufnr, lnum, nil, client_id)) do
    if d.code == "unknown-template" then target = d end
  end
end
if not target then return fail("no unknown-template diagnostic") end
local response = client.request_sync("textDocument/codeAction", {
  textDocument = vim.lsp.util.make_text_document_params(bufnr),
  range = target.range,
  context = { diagnostics = { target } },
}, 10000, bufnr)
if not response or not response.result or #response.result == 0 then return fail("no code action") end
local action = response.result[1]
log("action", action.title)
vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or "utf-16")
if not vim.wait(20000, function() return not codes():find("unknown-template", 1, true) end, 50) then
  return fail("the fix did not clear the diagnostic: " .. codes())
end
log("after-fix", vim.api.nvim_buf_get_lines(bufnr, target.range.start.line, target.range.start.line + 1, false)[1])
log("after-fix-codes", codes())

-- 3. completion while a quote and a bracket are still open, through the built-in omnifunc
local args_line
for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
  if line:find("args: %[") then args_line = i end
end
local indent = vim.api.nvim_buf_get_lines(bufnr, args_line - 1, args_line, false)[1]:match("^%s*")
vim.api.nvim_buf_set_lines(bufnr, args_line - 1, args_line, false, { indent .. 'args: ["{{inputs.' })
vim.api.nvim_win_set_cursor(0, { args_line, 0 })
vim.opt.completeopt = { "menu" } -- the first match is inserted at once
vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("A<C-x><C-o>", true, false, true), "nt", false)
local tries = 0
local function check()
  tries = tries + 1
  local info = vim.fn.complete_info({ "items" })
  if #info.items > 0 then
    for _, item in ipairs(info.items) do log("completion-item", item.abbr, item.word) end
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<Esc>", true, false, true), "nt", false)
    vim.defer_fn(function()
      log("completed", vim.api.nvim_buf_get_lines(bufnr, args_line - 1, args_line, false)[1])
      finish()
    end, 100)
  elseif tries > 200 then
    fail("no completion items")
  else
    vim.defer_fn(check, 50)
  end
end
vim.defer_fn(check, 50)
