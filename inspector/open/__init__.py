"""open"""
