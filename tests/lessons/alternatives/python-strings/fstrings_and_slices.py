first_name = "Ada"
last_name = "Lovelace"
born = 1815

full_name = f"{first_name} {last_name}"
initials = first_name[:1] + "." + last_name[:1] + "."
badge = last_name + ", " + first_name + " (born " + str(born) + ")"
name_length = len(first_name) + 1 + len(last_name)
year_text = str(born)
short_code = f"{last_name[0:3]}{year_text[2:]}"
