"""The pipeline's pages, by area: opportunities, capturing a posting, importing."""
