from collections import deque


class BrowserHistory:
    def __init__(self, home):
        self._here = home
        self._behind = deque()
        self._ahead = deque()

    def current(self):
        return self._here

    def visit(self, url):
        self._behind.append(self._here)
        self._here = url
        self._ahead = deque()

    def back(self):
        if not self._behind:
            return self._here
        self._ahead.appendleft(self._here)
        self._here = self._behind.pop()
        return self._here

    def forward(self):
        if not self._ahead:
            return self._here
        self._behind.append(self._here)
        self._here = self._ahead.popleft()
        return self._here
