"""Where the PDF report's Unicode font is: one place for the report and the Lambda build (standard
library only, so the build can import it with any Python)."""

PACKAGED_FONT = "fonts/DejaVuSans.ttf"  # in the Lambda package, relative to the code's root
SYSTEM_FONTS = (  # where Debian's fonts-dejavu-core and other systems install DejaVu Sans
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)
