class BrowserHistory:
    """All pages in one list; `position` points at the current one."""

    def __init__(self, home):
        self.pages = [home]
        self.position = 0

    def current(self):
        return self.pages[self.position]

    def visit(self, url):
        del self.pages[self.position + 1:]   # forward history is gone
        self.pages.append(url)
        self.position += 1

    def back(self):
        if self.position > 0:
            self.position -= 1
        return self.current()

    def forward(self):
        if self.position < len(self.pages) - 1:
            self.position += 1
        return self.current()
