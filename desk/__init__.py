"""The editor's desk: figure entry in the editor's words, built on claims (and the importer's
figure reader), never imported by them."""
