"""Stage 5, check: are the catalogue's external links alive? (``dl4mic-hub check-links``)"""
