"""bigtext"""
