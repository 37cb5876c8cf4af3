;;; emacs_check.el --- after a README Emacs snippet was loaded (editor_snippets.sh):
;;; checks that eglot or lsp-mode now starts leash beside clangd for C buffers.
;;; Prints one line per check; exits 1 on the first failure.
(defun leash-check-fail (fmt &rest args)
  (princ (concat "emacs snippet: FAIL: " (apply #'format fmt args) "\n"))
  (kill-emacs 1))
(defun leash-check-say (fmt &rest args)
  (princ (concat "emacs snippet: " (apply #'format fmt args) "\n")))
(pcase (getenv "LEASH_CLIENT")
  ("eglot"
   (require 'eglot)
   (let ((entry (cdr (assoc '(c-mode c-ts-mode) eglot-server-programs))))
     (unless (and entry (member "clangd" entry) (equal (last entry 2) '("leash" "lsp")))
       (leash-check-fail "eglot-server-programs has no (c-mode c-ts-mode) entry running clangd and leash lsp: %S" entry))
     (unless (memq #'eglot-ensure c-mode-hook)
       (leash-check-fail "eglot-ensure is not on c-mode-hook"))
     (leash-check-say "eglot runs %S for C buffers" entry)))
  ("lsp-mode"
   (require 'lsp-mode)
   (let ((client (gethash 'leash lsp-clients)))
     (unless client (leash-check-fail "lsp-mode has no client 'leash"))
     (unless (lsp--client-add-on? client) (leash-check-fail "the leash client is not an add-on beside clangd"))
     (unless (memq 'c-mode (lsp--client-major-modes client)) (leash-check-fail "the leash client is not for c-mode"))
     (unless (funcall (plist-get (lsp--client-new-connection client) :test?))
       (leash-check-fail "lsp-mode cannot find the leash command on PATH"))
     (leash-check-say "lsp-mode registers leash as an add-on client for %S" (lsp--client-major-modes client))))
  (_ (leash-check-fail "LEASH_CLIENT is neither eglot nor lsp-mode")))
