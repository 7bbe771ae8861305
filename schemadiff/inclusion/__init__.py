"""Inclusion between schemas: is every document the old schema accepts also accepted by the new?"""
