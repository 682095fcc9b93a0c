first_name = "Ada"
last_name = "Lovelace"
born = 1815

full_name = "{} {}".format(first_name, last_name)
initials = "{}.{}.".format(first_name[0], last_name[0])
badge = "{}, {} (born {})".format(last_name, first_name, born)
name_length = len(full_name)
short_code = "{}{}".format(last_name[:3], str(born)[len(str(born)) - 2:])
