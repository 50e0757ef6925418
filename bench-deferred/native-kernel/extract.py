#!/usr/bin/env python3
"""Copy named function definitions, verbatim, out of a kernel C file.

  extract.py FILE NAME...   prints each definition of each NAME (with the
                            lines of its signature above the name) in the
                            file's order

Used to compile the tree's own code in userspace (tools/testing/ style):
nothing is retyped. A definition inside #if/#ifdef blocks is printed inside
the same conditions (the directives of each enclosing level up to its
branch), so that a function with a stub in an #else branch comes out as the
configuration chooses. Fails if a name is not defined in the file.
"""
import re
import sys


def cond_stacks(lines):
    """For each line, the directives of the enclosing conditional levels."""
    stack, out = [], []
    for line in lines:
        d = line.strip()
        if re.match(r"#\s*if", d):
            out.append([list(lvl) for lvl in stack])
            stack.append([line])
            continue
        if re.match(r"#\s*(elif|else)", d) and stack:
            stack[-1].append(line)
        elif re.match(r"#\s*endif", d) and stack:
            stack.pop()
        out.append([list(lvl) for lvl in stack])
    return out


def definitions(lines, names):
    found = []
    for i, line in enumerate(lines):
        for name in names:
            # a definition: the name at the start of a line, or after its
            # return type; not a call (indented) or a prototype (ends in ';')
            if not re.match(r"^(?:[A-Za-z_].*[\s*])?%s\(" % re.escape(name), line):
                continue
            j = i
            while not lines[j].rstrip().endswith(("{", ";")):
                j += 1
            if lines[j].rstrip().endswith(";"):
                continue
            start = i
            while start > 0 and lines[start - 1].strip() and not \
                    lines[start - 1].rstrip().endswith((";", "}", "*/")) and \
                    not lines[start - 1].startswith("#"):
                start -= 1
            end = j
            while lines[end].rstrip() != "}":
                end += 1
            found.append((name, start, end))
    missing = [n for n in names if n not in {f[0] for f in found}]
    if missing:
        sys.exit(f"extract.py: not found in {sys.argv[1]}: {' '.join(missing)}")
    return found


def main():
    path, names = sys.argv[1], sys.argv[2:]
    with open(path) as f:
        lines = f.read().split("\n")
    stacks = cond_stacks(lines)
    print(f"/* extracted from {path} by extract.py: {' '.join(names)} */")
    for name, start, end in definitions(lines, names):
        levels = stacks[start]
        for lvl in levels:
            print("\n".join(lvl))	# the level's #if ... up to this branch
        print(f"#line {start + 1} \"{path}\"")
        print("\n".join(lines[start:end + 1]))
        for _ in levels:
            print("#endif")
        print()


if __name__ == "__main__":
    main()
