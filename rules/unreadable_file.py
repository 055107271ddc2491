from argolint.rules.base import LoaderRule


class UnreadableFile(LoaderRule):
    """A file that cannot be read as text.

    ## What it does
    Reports files that cannot be opened (a symlink loop, no permission), binary files (with
    NUL bytes), files that are not UTF-8 (or UTF-16 with a byte order mark), a closed
    standard input for `-`, and named pipes, devices and sockets named like manifests,
    which are never opened (reading one can block forever). Other files are still linted.

    ## Why is this bad?
    Kubernetes reads manifests as UTF-8; a file in another encoding, or a binary that
    matched a `*.yaml` glob, is not a manifest it can apply.

    ## Example
    A file saved as Latin-1 containing `message: café`.

    Use instead:
    Save the file as UTF-8.
    """

    id = "unreadable-file"
