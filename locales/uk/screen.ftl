# Screen blanking: the black screen's accessible label (a touch only wakes it).
screen-wake = Торкніться, щоб увімкнути екран
