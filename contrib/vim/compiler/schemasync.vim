" Vim compiler file
" Compiler:	schemasync (see contrib/vim/README.md)
" Usage:	:compiler schemasync | :make
"
" Reads schemasync's diagnostics, 'FILE:LINE:COLUMN: error: MESSAGE', into
" the quickfix list. :make runs 'schemasync check' from Vim's current
" folder; set g:schemasync_makeprg to run something else
" ('schemasync push').

if exists('current_compiler')
  finish
endif
let current_compiler = 'schemasync'

if exists(':CompilerSet') != 2
  command -nargs=* CompilerSet setlocal <args>
endif

let s:cpo_save = &cpo
set cpo&vim

execute 'CompilerSet makeprg=' .
      \ escape(get(g:, 'schemasync_makeprg', 'schemasync --color never check'), ' \|"')
CompilerSet errorformat=%f:%l:%c:\ %trror:\ %m,
                       \%f:%l:%c:\ %tarning:\ %m,
                       \%f:%l:\ %trror:\ %m,
                       \%f:\ %trror:\ %m,
                       \%trror:\ %m,
                       \%-G%.%#

let &cpo = s:cpo_save
unlet s:cpo_save
