# CPython counterpart of loop.bp
def work(n):
    s = 0
    for i in range(n):
        if i % 3 == 0:
            s = s + i * 2
        else:
            s = s - 1
    return s
print(work(3000000))
