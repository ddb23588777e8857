in tree
