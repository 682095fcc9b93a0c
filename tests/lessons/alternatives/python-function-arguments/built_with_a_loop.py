def make_tag(tag, *children, sep="", **attributes):
    opening = "<" + tag
    for name in attributes:
        opening += " " + name + '="' + str(attributes[name]) + '"'
    opening += ">"
    return opening + sep.join(map(str, children)) + "</" + tag + ">"
