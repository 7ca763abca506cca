"""What every drill kind shares: text normalisation, content-file helpers, errors, tokens, the
catalog columns, view helpers and labels. Nothing here imports a kind's subpackage."""
