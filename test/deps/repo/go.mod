module example.com/x

require (
  golang.org/x/text v0.3.7
