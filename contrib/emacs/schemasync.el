;;; schemasync.el --- Check or push schemasync schema files on save  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "25.1"))
;; Keywords: tools, databases

;;; Commentary:

;; `schemasync-mode' is a minor mode for the YAML schema files of
;; schemasync (a schema push tool for SQLite and PostgreSQL).  On every
;; save it runs `schemasync check' (or `push', see
;; `schemasync-on-save') from the project root, in a compilation buffer
;; whose errors -- "FILE:LINE:COLUMN: error: MESSAGE" -- `next-error'
;; (M-g n) visits.  The buffer pops up only when the run fails.
;;
;; `schemasync-auto-mode' turns the mode on in every *.yaml / *.yml file
;; under a folder named "schemas":
;;
;;   (add-to-list 'load-path "/path/to/schemasync/contrib/emacs")
;;   (require 'schemasync)
;;   (add-hook 'find-file-hook #'schemasync-auto-mode)
;;
;; M-x schemasync-check, schemasync-diff and schemasync-push run by hand.

;;; Code:

(require 'compile)

(defgroup schemasync nil
  "Run schemasync on schema files."
  :group 'tools
  :prefix "schemasync-")

(defcustom schemasync-command "schemasync"
  "The schemasync program."
  :type 'string)

(defcustom schemasync-on-save "check"
  "What to run on save: \"check\", \"diff\", \"push\", or nil for nothing.
\"push\" applies safe changes; destructive or ambiguous ones are held
(exit status 3), since there is no terminal to ask on."
  :type '(choice (const "check") (const "diff") (const "push")
                 (const :tag "Nothing" nil)))

(defconst schemasync-file-regexp "/schemas/\\(?:.*/\\)?[^/]*\\.ya?ml\\'"
  "File names that `schemasync-auto-mode' turns the mode on for.")

;; FILE:LINE:COLUMN: error: MESSAGE  (and warning, note)
(add-to-list 'compilation-error-regexp-alist-alist
             '(schemasync
               "^\\([^:\n]+\\):\\([0-9]+\\):\\([0-9]+\\): \\(?:error\\|\\(warning\\)\\|\\(note\\)\\): "
               1 2 3 (4 . 5)))

(defun schemasync--root ()
  "The project root: the nearest folder with schemasync.yaml, else the
parent of the \"schemas\" folder, else `default-directory'."
  (let ((file (or buffer-file-name default-directory)))
    (or (locate-dominating-file file "schemasync.yaml")
        (let ((schemas (locate-dominating-file
                        file (lambda (dir)
                               (equal (file-name-nondirectory
                                       (directory-file-name dir))
                                      "schemas")))))
          (and schemas
               (file-name-directory (directory-file-name schemas))))
        default-directory)))

(define-compilation-mode schemasync-compilation-mode "schemasync"
  "Output of schemasync, with its diagnostics as errors."
  (setq-local compilation-error-regexp-alist '(schemasync)))

(defun schemasync-run (command &optional quiet)
  "Run `schemasync COMMAND' from the project root.
With QUIET, show the output only when it fails."
  (interactive (list (completing-read "schemasync " '("check" "diff" "push"))))
  (let* ((default-directory (schemasync--root))
         (display-buffer-alist
          (if quiet
              (cons '("\\*schemasync\\*" display-buffer-no-window
                      (allow-no-window . t))
                    display-buffer-alist)
            display-buffer-alist))
         (buf (compilation-start
               (concat (shell-quote-argument schemasync-command)
                       " --color never " command)
               #'schemasync-compilation-mode
               (lambda (_mode) "*schemasync*"))))
    (when quiet
      (with-current-buffer buf
        (setq-local compilation-finish-functions
                    (list (lambda (b status)
                            (unless (string-prefix-p "finished" status)
                              (display-buffer b)))))))
    buf))

(defun schemasync-check ()
  "Validate the schema files."
  (interactive)
  (schemasync-run "check"))

(defun schemasync-diff ()
  "Show what a push would do."
  (interactive)
  (schemasync-run "diff"))

(defun schemasync-push ()
  "Push the schema files to the database."
  (interactive)
  (schemasync-run "push"))

(defun schemasync--after-save ()
  (when schemasync-on-save
    (schemasync-run schemasync-on-save t)))

;;;###autoload
(define-minor-mode schemasync-mode
  "Run schemasync on every save of this schema file."
  :lighter " SSync"
  (if schemasync-mode
      (add-hook 'after-save-hook #'schemasync--after-save nil t)
    (remove-hook 'after-save-hook #'schemasync--after-save t)))

;;;###autoload
(defun schemasync-auto-mode ()
  "Turn on `schemasync-mode' in schema files (for `find-file-hook')."
  (when (and buffer-file-name
             (string-match-p schemasync-file-regexp buffer-file-name))
    (schemasync-mode 1)))

(provide 'schemasync)
;;; schemasync.el ends here
