"""The toolkit (Werkzeugkoffer): method cards curated by a lab's coordinators, the lab's success
factors they serve, where tandems used them (linked measures), the booklet as PDF.
"""
