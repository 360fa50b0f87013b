" schemasync.vim: check (or push) schema files on save.
"
" On every save of a *.yaml or *.yml file under a folder named 'schemas',
" runs 'schemasync check' (g:schemasync_on_save = 'check', the default) or
" 'schemasync push' ('push') from the project's root -- the nearest folder
" above the file holding schemasync.yaml, else the parent of 'schemas' --
" and puts the diagnostics in the quickfix list. '' turns it off.
"
" Commands: :SchemasyncCheck, :SchemasyncPush, :SchemasyncDiff.
" g:schemasync_command names the program (default 'schemasync').

if exists('g:loaded_schemasync') || &compatible
  finish
endif
let g:loaded_schemasync = 1

let s:efm = '%f:%l:%c: %trror: %m,%f:%l:%c: %tarning: %m,%f:%l: %trror: %m,' .
      \ '%f: %trror: %m,%trror: %m,%-G%.%#'

function! s:root(file) abort
  let dir = fnamemodify(a:file, ':p:h')
  let config = findfile('schemasync.yaml', dir . ';')
  if config !=# ''
    return fnamemodify(config, ':p:h')
  endif
  let schemas = finddir('schemas', dir . ';')
  if schemas !=# ''
    return fnamemodify(schemas, ':p:h:h')
  endif
  return getcwd()
endfunction

" Runs 'schemasync ARGS' in the project root of FILE; diagnostics go to
" the quickfix list with paths made absolute, so they open wherever Vim's
" current folder is.
function! s:run(file, args) abort
  let root = s:root(a:file)
  let cmd = 'cd ' . shellescape(root) . ' && ' .
        \ get(g:, 'schemasync_command', 'schemasync') . ' --color never ' .
        \ a:args . ' 2>&1'
  let lines = systemlist(cmd)
  let status = v:shell_error
  call map(lines, {_, l -> l =~# '^[^/][^:]*:\d\+:' ? root . '/' . l : l})
  call setqflist([], ' ', {'lines': lines, 'title': 'schemasync ' . a:args,
        \ 'efm': s:efm})
  if status == 0
    cclose
    echo 'schemasync ' . a:args . ': ' . (empty(lines) ? 'ok' : lines[-1])
  else
    copen
    wincmd p
    echohl WarningMsg
    echo 'schemasync ' . a:args . ': exit ' . status
    echohl None
  endif
endfunction

function! s:on_save(file) abort
  let what = get(g:, 'schemasync_on_save', 'check')
  if what ==# 'check' || what ==# 'push' || what ==# 'diff'
    call s:run(a:file, what)
  endif
endfunction

command! -bar SchemasyncCheck call s:run(expand('%:p'), 'check')
command! -bar SchemasyncPush call s:run(expand('%:p'), 'push')
command! -bar SchemasyncDiff call s:run(expand('%:p'), 'diff')

augroup schemasync
  autocmd!
  " In autocommand patterns '*' also matches '/', so sub-folders count.
  autocmd BufRead,BufNewFile */schemas/*.yaml,*/schemas/*.yml compiler schemasync
  autocmd BufWritePost */schemas/*.yaml,*/schemas/*.yml call s:on_save(expand('<afile>:p'))
augroup END
